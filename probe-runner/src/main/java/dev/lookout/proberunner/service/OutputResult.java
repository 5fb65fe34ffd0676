package dev.lookout.proberunner.service;

import java.util.List;

import dev.lookout.proberunner.domain.CheckResult;
import dev.lookout.proberunner.domain.Turn;

/**
 * The final state of one model call: an answer, or the error that prevented it (after {@code attempts} tries), with
 * the probe's check results on the answer and, for multi-turn probes, the earlier turns.
 */
public record OutputResult(String text, String reasoning, String finishReason, Integer promptTokens,
        Integer completionTokens, Long latencyMs, String serverModel, int attempts, String error,
        List<CheckResult> checks, List<Turn> turns, String systemFingerprint) {

    public OutputResult(String text, String reasoning, String finishReason, Integer promptTokens,
            Integer completionTokens, Long latencyMs, String serverModel, int attempts, String error,
            List<CheckResult> checks, List<Turn> turns) {
        this(text, reasoning, finishReason, promptTokens, completionTokens, latencyMs, serverModel, attempts, error,
                checks, turns, null);
    }

    public OutputResult(String text, String reasoning, String finishReason, Integer promptTokens,
            Integer completionTokens, Long latencyMs, String serverModel, int attempts, String error) {
        this(text, reasoning, finishReason, promptTokens, completionTokens, latencyMs, serverModel, attempts, error,
                null, null);
    }

    public static OutputResult failed(String error, int attempts, Long latencyMs) {
        return failed(error, null, attempts, latencyMs);
    }

    /** A failure with a finish reason (e.g. {@code truncated}: the answer was cut off at the byte cap). */
    public static OutputResult failed(String error, String finishReason, int attempts, Long latencyMs) {
        return new OutputResult(null, null, finishReason, null, null, latencyMs, null, attempts, error);
    }

    public OutputResult withChecks(List<CheckResult> results) {
        return new OutputResult(text, reasoning, finishReason, promptTokens, completionTokens, latencyMs, serverModel,
                attempts, error, results, turns, systemFingerprint);
    }
}
