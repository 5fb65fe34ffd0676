package dev.lookout.ingest.rest;

import dev.lookout.ingest.entity.Run;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

public record RunResponse(UUID id, String project, String name, Map<String, Object> labels, TargetDto baseline,
                          String suite, String status, Instant createdAt) {

    static RunResponse from(Run r) {
        return new RunResponse(r.id, r.project, r.name, r.labels == null ? Map.of() : r.labels,
                new TargetDto(r.baselineEndpoint, r.baselineModel), r.suite, r.status.name(), r.createdAt);
    }
}
