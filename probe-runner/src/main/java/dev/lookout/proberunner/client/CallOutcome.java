package dev.lookout.proberunner.client;

/** Result of one HTTP attempt: an answer, a transient failure worth retrying, or a permanent failure. */
public record CallOutcome(Kind kind, ChatCompletion completion, Long retryAfterMs, String error, long latencyMs) {

    public enum Kind {
        SUCCESS, RETRYABLE, PERMANENT, SKIPPED
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
}
