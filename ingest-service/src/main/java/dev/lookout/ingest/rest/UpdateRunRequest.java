package dev.lookout.ingest.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * PATCH /api/runs/{run}: the job reports how it ended (or that it runs again), and/or sets the suite its later
 * checkpoints are probed with. "stalled" is set by the service only. At least one field.
 */
public record UpdateRunRequest(
        @Pattern(regexp = "running|finished|failed", message = "must be running, finished or failed") String status,
        @Pattern(regexp = "(?s).*\\S.*", message = "must name a suite of the project") @Size(max = 200) String suite) {
}
