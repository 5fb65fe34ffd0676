package dev.lookout.proberunner.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code eta}: only in GET /api/probe-runs/{id}, null until enough calls finished and once the run is over;
 * {@code reused}: answers copied instead of asked, per side.
 */
public record ProbeRunResponse(UUID id, String project, UUID runId, UUID checkpointId, Long step,
        UUID suiteVersionId, String status, String failureReason, int total, Counts counts,
        List<TargetDto> targets, Instant createdAt, Instant completedAt, RunComparisonSummary comparison,
        Eta eta, List<String> warnings, ReusedCounts reused,
        /** Null: no LoRA adapter to load; else loading, loaded, failed or unloaded. */
        @JsonInclude(JsonInclude.Include.NON_NULL) String adapterState) {
}
