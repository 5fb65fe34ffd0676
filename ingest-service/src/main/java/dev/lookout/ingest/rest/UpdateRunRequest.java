package dev.lookout.ingest.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** PATCH /api/runs/{run}: the job reports how it ended (or that it runs again). "stalled" is set by the service only. */
public record UpdateRunRequest(
        @NotNull @Pattern(regexp = "running|finished|failed", message = "must be running, finished or failed") String status) {
}
