package dev.lookout.proberunner.client;

import java.util.List;

import dev.lookout.proberunner.domain.Turn;

/**
 * Result of one HTTP attempt: an answer, a transient failure worth retrying, or a permanent failure. For a multi-turn
 * probe, {@code turns} holds the earlier turns' answers and {@code completion} the final one.
 */
public record CallOutcome(Kind kind, ChatCompletion completion, Long retryAfterMs, String error, long latencyMs,
        List<Turn> turns) {

    public enum Kind {
        SUCCESS, RETRYABLE, PERMANENT, SKIPPED
    }

    public CallOutcome(Kind kind, ChatCompletion completion, Long retryAfterMs, String error, long latencyMs) {
        this(kind, completion, retryAfterMs, error, latencyMs, null);
    }

    public static CallOutcome success(ChatCompletion c, long latencyMs) {
        return new CallOutcome(Kind.SUCCESS, c, null, null, latencyMs);
    }

    public static CallOutcome retryable(String error, Long retryAfterMs, long latencyMs) {
        return new CallOutcome(Kind.RETRYABLE, null, retryAfterMs, error, latencyMs);
    }

    /** Not called at all (the run was cancelled while the call waited for a slot). */
    public static CallOutcome skipped() {
        return new CallOutcome(Kind.SKIPPED, null, null, null, 0);
    }

    public static CallOutcome permanent(String error, long latencyMs) {
        return new CallOutcome(Kind.PERMANENT, null, null, error, latencyMs);
    }

    /** An answer cut off at the byte cap: a final error, marked with finish reason {@code truncated}. */
    public static CallOutcome truncated(String error, long latencyMs) {
        return new CallOutcome(Kind.PERMANENT, new ChatCompletion(null, null, ModelClient.TRUNCATED, null, null, null),
                null, error, latencyMs);
    }

    public CallOutcome withTurns(List<Turn> earlier) {
        return new CallOutcome(kind, completion, retryAfterMs, error, latencyMs, earlier);
    }
}
