package dev.lookout.proberunner.rest;

import jakarta.validation.constraints.NotBlank;

public record Check(@NotBlank String type, Object value) {
}
