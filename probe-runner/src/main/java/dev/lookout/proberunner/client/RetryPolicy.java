package dev.lookout.proberunner.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.random.RandomGenerator;

/** Which failures are retried and how long to wait: exponential backoff with jitter, never less than Retry-After. */
public final class RetryPolicy {

    private final int maxAttempts;
    private final long baseMs;
    private final long maxMs;
    private final RandomGenerator random;

    public RetryPolicy(int maxAttempts, long baseMs, long maxMs, RandomGenerator random) {
        this.maxAttempts = maxAttempts;
        this.baseMs = baseMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** 408, 429 and 5xx are transient; other statuses are the caller's fault and retrying will not help. */
    public static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    public boolean canRetry(int attempt) {
        return attempt < maxAttempts;
    }

    /**
     * Delay before attempt {@code attempt + 1}: base·2^(attempt-1) capped at max, with "equal jitter" (half fixed,
     * half random), and never shorter than the server's Retry-After.
     */
    public long delayMs(int attempt, Long retryAfterMs) {
        long exp = baseMs << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(maxMs, exp);
        long jittered = capped / 2 + (capped / 2 == 0 ? 0 : random.nextLong(capped / 2 + 1));
        return retryAfterMs == null ? jittered : Math.max(jittered, retryAfterMs);
    }

    /** Parses Retry-After: delta-seconds or an HTTP date; null when absent or unreadable. */
    public static Long parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            double seconds = Double.parseDouble(h);
            return seconds < 0 ? null : (long) (seconds * 1000);
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(now, at).toMillis());
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }
}
