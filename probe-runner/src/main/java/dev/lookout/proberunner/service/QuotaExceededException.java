package dev.lookout.proberunner.service;

import io.quarkus.transaction.annotations.Rollback;

/**
 * A probe run refused by a project quota: 429 with {@code Retry-After} when waiting helps (calls finish, the 24 h
 * window moves on), 422 when it cannot (the run alone is larger than the quota). Nothing is stored.
 */
@Rollback(false) // the auto-probe path records the refusal as a failed run in the same transaction
public class QuotaExceededException extends RuntimeException {

    private final int status;
    private final Long retryAfterSeconds;

    private QuotaExceededException(int status, String message, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static QuotaExceededException retryLater(String message, long retryAfterSeconds) {
        return new QuotaExceededException(429, message, Math.max(1, retryAfterSeconds));
    }

    public static QuotaExceededException never(String message) {
        return new QuotaExceededException(422, message, null);
    }

    public int status() {
        return status;
    }

    /** Seconds for the Retry-After header; null for a 422. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
