package dev.lookout.review.rest;

import dev.lookout.review.entity.ReviewBatch;
import dev.lookout.review.service.BatchService;
import dev.lookout.review.service.Stopping;
import dev.lookout.review.service.Target;

import java.time.Instant;
import java.util.UUID;

/** A review batch as engineers see it (targets yes; per-item sides never). */
public record BatchResponse(UUID id, String project, UUID probeRunId, UUID runId, UUID checkpointId, Long step,
                            UUID suiteVersionId, Target candidate, Target baseline, int reviewsPerItem, String status,
                            long items, long controls, Instant createdAt,
                            Instant closedAt, String against, UUID baselineProbeRunId, UUID baselineCheckpointId,
                            Long baselineStep, Stopping.Rule stopping, Stopping.Stop stopped) {

    static BatchResponse from(BatchService.Summary summary) {
        ReviewBatch b = summary.batch();
        return new BatchResponse(b.id, b.project, b.probeRunId, b.runId, b.checkpointId, b.step, b.suiteVersionId,
                new Target(b.candidateEndpoint, b.candidateModel), new Target(b.baselineEndpoint, b.baselineModel),
                b.reviewsPerItem, b.status, summary.items(), summary.controls(), b.createdAt,
                b.closedAt, b.against, b.baselineProbeRunId, b.baselineCheckpointId, b.baselineStep,
                b.stopWhenDecided || b.maxVotes != null ? new Stopping.Rule(b.stopWhenDecided, b.maxVotes) : null,
                summary.stopped());
    }
}
