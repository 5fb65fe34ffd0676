package dev.lookout.ingest.repository;

import dev.lookout.ingest.service.MetricPoint;
import dev.lookout.ingest.service.PointSink;
import dev.lookout.ingest.service.detect.SeriesPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Metric points are written set-wise, never row by row, on the current transaction's connection, streamed
 * while they are produced ({@link MetricWriter}): points beyond the last stored step of their series go in by
 * binary {@code COPY}, {@link #CHUNK} rows per statement; re-sent or rewritten steps through one INSERT … SELECT
 * FROM unnest(arrays) … ON CONFLICT per chunk, which tells new, duplicate and changed points apart. The caller
 * must hold the run's row lock (MetricService does): it is what keeps "beyond the last stored step" true until
 * commit.
 */
@ApplicationScoped
public class MetricRepository {

    public static final int CHUNK = 10_000;

    /**
     * What one append did: points newly stored per series; stored points whose value changed (conflicts, newest
     * wins); points equal to a stored one or superseded within the append by the same value (duplicates) or by
     * another value (conflictsInBatch); and how many points were received in all.
     */
    public record WriteCounts(Map<String, Long> inserted, long updated, long duplicates, long conflictsInBatch,
                              long received) {
        public long stored() {
            long n = 0;
            for (long v : inserted.values()) {
                n += v;
            }
            return n;
        }
    }

    public record Series(long[] steps, double[] values) {
        public int size() {
            return steps.length;
        }
    }

    /** Every series of the run: its id and last stored step (null when it has no points); one index probe each. */
    private static final String SERIES = """
            select s.id, s.name, (select max(m.step) from ingest.metric_points m where m.series_id = s.id)
            from ingest.series s where s.run_id = ?""";

    private final EntityManager em;

    public MetricRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Writes what the producer produces, streaming it into PostgreSQL while it is produced (see
     * {@link MetricWriter}); a producer that throws leaves nothing behind once the transaction rolls back. The
     * caller holds the run's row lock (MetricService does).
     */
    public WriteCounts write(UUID runId, PointSink.Producer producer) {
        return session().doReturningWork(c -> {
            Map<String, MetricWriter.Known> known = series(c, runId);
            try (MetricWriter w = new MetricWriter(c, runId, known, CHUNK)) {
                producer.produce(w);
                var counts = w.finish();
                return new WriteCounts(counts.inserted(), counts.updated(), counts.duplicates(), counts.conflictsInBatch(),
                        counts.received());
            }
        });
    }

    /** Writes a list of points (each (name, step) at most once is not required: newest wins). */
    public WriteCounts upsert(UUID runId, List<MetricPoint> points) {
        return write(runId, sink -> {
            for (MetricPoint p : points) {
                sink.add(p.name(), p.step(), p.value(), micros(p.wallTime()));
            }
        });
    }

    /** A wall time as the sink takes it: microseconds since 2000-01-01 UTC, or {@link PointSink#NO_WALL} for null. */
    public static long micros(java.time.Instant t) {
        return t == null ? PointSink.NO_WALL : MetricCopy.micros(t);
    }

    private static Map<String, MetricWriter.Known> series(Connection c, UUID runId) throws SQLException {
        Map<String, MetricWriter.Known> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SERIES)) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(3);
                    out.put(rs.getString(2), new MetricWriter.Known(rs.getLong(1), rs.wasNull() ? -1 : last));
                }
            }
        }
        return out;
    }

    /** Up to limit points of the series before step, ascending. */
    public List<SeriesPoint> before(UUID runId, String name, long step, int limit) {
        return session().doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select step, value from ingest.metric_points where series_id = (select id from ingest.series where run_id = ? and name = ?) "
                            + "and step < ? order by step desc limit ?")) {
                ps.setObject(1, runId);
                ps.setString(2, name);
                ps.setLong(3, step);
                ps.setInt(4, limit);
                List<SeriesPoint> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SeriesPoint(rs.getLong(1), rs.getDouble(2)));
                    }
                }
                Collections.reverse(out);
                return out;
            }
        });
    }

    /** Up to limit points of the series at or before step, ascending. */
    public List<SeriesPoint> upTo(UUID runId, String name, long step, int limit) {
        return before(runId, name, step == Long.MAX_VALUE ? step : step + 1, limit);
    }

    /** The whole series up to maxStep (inclusive), ascending. */
    public Series series(UUID runId, String name, long maxStep) {
        return session().doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select step, value from ingest.metric_points where series_id = (select id from ingest.series where run_id = ? and name = ?) "
                            + "and step <= ? order by step")) {
                ps.setObject(1, runId);
                ps.setString(2, name);
                ps.setLong(3, maxStep);
                ps.setFetchSize(10_000);
                long[] steps = new long[1024];
                double[] values = new double[1024];
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n == steps.length) {
                            steps = Arrays.copyOf(steps, n * 2);
                            values = Arrays.copyOf(values, n * 2);
                        }
                        steps[n] = rs.getLong(1);
                        values[n] = rs.getDouble(2);
                        n++;
                    }
                }
                return new Series(Arrays.copyOf(steps, n), Arrays.copyOf(values, n));
            }
        });
    }

    public List<String> names(UUID runId) {
        return session().doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select s.name from ingest.series s where s.run_id = ? "
                            + "and exists (select 1 from ingest.metric_points m where m.series_id = s.id) order by s.name")) {
                ps.setObject(1, runId);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
