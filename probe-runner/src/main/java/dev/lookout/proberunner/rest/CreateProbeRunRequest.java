package dev.lookout.proberunner.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record CreateProbeRunRequest(
        @NotBlank String project,
        @NotBlank String suite,
        @Min(1) Integer version,
        @NotEmpty @Size(max = 8) List<@Valid @NotNull TargetDto> targets,
        @Min(1) @Max(100) Integer samples) {
}
