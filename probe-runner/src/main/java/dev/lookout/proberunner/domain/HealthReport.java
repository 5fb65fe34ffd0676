package dev.lookout.proberunner.domain;

import java.util.List;
import java.util.UUID;

/**
 * What a model server's /v1/models answered: status up or down, the HTTP status, the models it lists and a sentence
 * of ours when down (never the server's body).
 */
public record HealthReport(UUID id, String status, Integer httpStatus, List<String> models, long latencyMs,
        String error) {
}
