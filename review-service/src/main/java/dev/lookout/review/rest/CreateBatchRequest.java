package dev.lookout.review.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.UUID;

public record CreateBatchRequest(
        @NotBlank String project,
        @NotNull UUID probeRun,
        @Min(1) @Max(10_000) Integer size,
        @Min(1) @Max(100) Integer reviewsPerItem) {
}
