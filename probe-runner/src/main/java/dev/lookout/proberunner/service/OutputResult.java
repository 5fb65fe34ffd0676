package dev.lookout.proberunner.service;

/** The final state of one model call: an answer, or the error that prevented it (after {@code attempts} tries). */
public record OutputResult(String text, String reasoning, String finishReason, Integer promptTokens,
        Integer completionTokens, Long latencyMs, String serverModel, int attempts, String error) {

    public static OutputResult failed(String error, int attempts, Long latencyMs) {
        return new OutputResult(null, null, null, null, null, latencyMs, null, attempts, error);
    }
}
