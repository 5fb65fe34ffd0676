package dev.lookout.proberunner.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public record CreateSuiteRequest(
        @NotBlank String project,
        @NotBlank @Pattern(regexp = Names.PATTERN, message = "must be 1-100 letters, digits, '.', '_' or '-'") String name,
        @NotEmpty List<@Valid @NotNull ProbeDto> probes) {
}
