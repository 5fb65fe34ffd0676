package dev.lookout.proberunner.rest;

import jakarta.validation.constraints.NotNull;

/** Per-project comparison switches ({@code /api/projects/{key}/comparison-settings}). */
public record ComparisonSettings(@NotNull Boolean semanticSimilarity) {
}
