package dev.lookout.proberunner.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code reusedFrom}: null when the answer was asked in this run; {@code weightsRoot}/{@code systemFingerprint}:
 * what the server reported about the weights (null when it reports nothing).
 */
public record OutputResponse(UUID id, String probeId, int targetIndex, String endpoint, String model, int sample,
        String status, String text, String reasoning, String finishReason, Integer promptTokens,
        Integer completionTokens, Long latencyMs, Map<String, Object> paramsSent, String serverModel,
        int attempts, String error, boolean reused, ReusedFrom reusedFrom, String weightsRoot,
        String systemFingerprint, Instant completedAt, List<CheckResultDto> checks, List<TurnDto> turns) {
}
