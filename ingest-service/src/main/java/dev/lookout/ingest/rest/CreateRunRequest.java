package dev.lookout.ingest.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

public record CreateRunRequest(
        @NotBlank @Size(max = 100)
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "must be a project key (letters, digits, . _ -)")
        String project,
        @NotBlank @Size(max = 200) String name,
        Map<String, Object> labels,
        @NotNull @Valid TargetDto baseline,
        @Size(max = 200) String suite) {
}
