package dev.lookout.proberunner.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record ChatMessage(
        @NotBlank @Pattern(regexp = "system|user|assistant", message = "must be system, user or assistant") String role,
        @NotNull @Size(max = 100_000) String content) {
}
