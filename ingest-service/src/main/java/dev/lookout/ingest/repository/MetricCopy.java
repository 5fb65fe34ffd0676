package dev.lookout.ingest.repository;

import java.time.Instant;

/**
 * The binary {@code COPY} format of metric points (written by {@link MetricWriter}) into ingest.metric_points:
 * series ids and steps as int8, values as their IEEE bits (NaN and ±Infinity included, nothing is formatted or parsed
 * as text), steps as int8, wall times as microseconds
 * since 2000-01-01 (rounded half-even, as PostgreSQL rounds a text timestamp).
 */
final class MetricCopy {

    static final String SQL = "copy ingest.metric_points (series_id, step, value, wall_time) from stdin (format binary)";
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix seconds. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private MetricCopy() {
    }

    /** Microseconds since 2000-01-01 UTC; an instant PostgreSQL cannot hold is refused by the server. */
    static long micros(Instant t) {
        long seconds = t.getEpochSecond() - PG_EPOCH_SECONDS;
        long micros = (long) Math.rint(t.getNano() / 1000.0);
        try {
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
        } catch (ArithmeticException e) {
            return seconds < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE - 1; // out of range either way: the server says so
        }
    }

    /** The inverse of {@link #micros(Instant)}. */
    static Instant instant(long micros) {
        return Instant.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
