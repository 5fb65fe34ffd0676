package dev.lookout.review.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.UUID;

/** probe-runner's ProbeRun (GET /api/probe-runs/{id}); only the fields review-service uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProbeRunView(UUID id, String project, UUID runId, UUID checkpointId, Long step, UUID suiteVersionId,
                           String status, List<Target> targets) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String endpoint, String model, String label) {
    }
}
