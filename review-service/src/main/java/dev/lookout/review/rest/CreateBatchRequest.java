package dev.lookout.review.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.util.UUID;

/**
 * POST /api/review-batches: either {@code probeRun}, or {@code suiteVersion} with {@code candidate} and
 * {@code baseline} (exactly one of the two; checked by {@link ReviewBatchResource}, 422 naming the field).
 */
public record CreateBatchRequest(
        @NotBlank String project,
        UUID probeRun,
        UUID suiteVersion,
        @Valid TargetRequest candidate,
        @Valid TargetRequest baseline,
        @Min(1) @Max(10_000) Integer size,
        @Min(1) @Max(100) Integer reviewsPerItem,
        Boolean stopWhenDecided,
        @Min(1) @Max(100_000) Integer maxVotes) {

    /** The stopping rule asked for; null (the project's default) when neither field is given. */
    public dev.lookout.review.service.Stopping.Rule stopping() {
        if (stopWhenDecided == null && maxVotes == null) {
            return null;
        }
        return new dev.lookout.review.service.Stopping.Rule(Boolean.TRUE.equals(stopWhenDecided), maxVotes);
    }

    /** A model target by endpoint name (no '/') and model name. */
    public record TargetRequest(@NotBlank String endpoint, @NotBlank String model) {
    }
}
