package dev.lookout.ingest.repository;

import dev.lookout.ingest.service.MetricPoint;
import dev.lookout.ingest.service.detect.SeriesPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Metric points are written set-wise, never row by row, on the current transaction's connection. Points
 * whose step lies beyond the last stored step of their series (the normal case: a training job appending)
 * cannot meet an existing row, so they go in by binary {@code COPY}, {@link #CHUNK} rows per stream; the rest
 * (re-sent or rewritten steps) go through one INSERT … SELECT FROM unnest(arrays) … ON CONFLICT statement per
 * chunk, which tells new, duplicate and changed points apart. The caller must hold the run's row lock
 * (MetricService does): it is what keeps "beyond the last stored step" true until commit.
 */
@ApplicationScoped
public class MetricRepository {

    public static final int CHUNK = 10_000;

    /** Per series: points newly stored and points whose value changed (conflicts, newest wins). */
    public record WriteCounts(Map<String, Long> inserted, Map<String, Long> updated) {
    }

    public record Series(long[] steps, double[] values) {
        public int size() {
            return steps.length;
        }
    }

    private static final String UPSERT = """
            with input(name, step, value, wall_time) as (
                select * from unnest(?::text[], ?::bigint[], ?::float8[], ?::text[]::timestamptz[])
            ), upsert as (
                insert into ingest.metric_points as m (run_id, name, step, value, wall_time)
                select ?, name, step, value, wall_time from input
                on conflict (run_id, name, step) do update
                    set value = excluded.value, wall_time = coalesce(excluded.wall_time, m.wall_time)
                    where m.value is distinct from excluded.value
                returning m.name, (xmax = 0) as inserted
            )
            select name, count(*) filter (where inserted), count(*) filter (where not inserted)
            from upsert group by name""";

    private final EntityManager em;

    public MetricRepository(EntityManager em) {
        this.em = em;
    }

    /** points must hold each (name, step) once; the caller holds the run's row lock. */
    public WriteCounts upsert(UUID runId, List<MetricPoint> points) {
        Map<String, Long> inserted = new HashMap<>();
        Map<String, Long> updated = new HashMap<>();
        if (points.isEmpty()) {
            return new WriteCounts(inserted, updated);
        }
        session().doWork(c -> {
            Map<String, Long> last = lastSteps(c, runId, points);
            List<MetricPoint> fresh = new ArrayList<>(points.size());
            List<MetricPoint> rest = new ArrayList<>();
            for (MetricPoint p : points) {
                Long l = last.get(p.name());
                (l == null || p.step() > l ? fresh : rest).add(p);
            }
            if (!fresh.isEmpty()) {
                MetricCopy.copy(c, runId, fresh, CHUNK);
                for (MetricPoint p : fresh) {
                    inserted.merge(p.name(), 1L, Long::sum);
                }
            }
            for (int from = 0; from < rest.size(); from += CHUNK) {
                writeChunk(c, runId, rest.subList(from, Math.min(rest.size(), from + CHUNK)), inserted, updated);
            }
        });
        return new WriteCounts(inserted, updated);
    }

    /** The last stored step of each series named in points (absent when the series has none); one index probe each. */
    private static Map<String, Long> lastSteps(Connection c, UUID runId, List<MetricPoint> points) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        for (MetricPoint p : points) {
            names.add(p.name());
        }
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select n.name, (select max(m.step) from ingest.metric_points m where m.run_id = ? and m.name = n.name)
                from unnest(?::text[]) as n(name)""")) {
            ps.setObject(1, runId);
            ps.setArray(2, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long step = rs.getLong(2);
                    if (!rs.wasNull()) {
                        out.put(rs.getString(1), step);
                    }
                }
            }
        }
        return out;
    }

    private static void writeChunk(Connection c, UUID runId, List<MetricPoint> chunk, Map<String, Long> inserted,
                                   Map<String, Long> updated) throws SQLException {
        int n = chunk.size();
        String[] names = new String[n];
        Long[] steps = new Long[n];
        Double[] values = new Double[n];
        String[] walls = new String[n];
        for (int i = 0; i < n; i++) {
            MetricPoint p = chunk.get(i);
            names[i] = p.name();
            steps[i] = p.step();
            values[i] = p.value();
            walls[i] = p.wallTime() == null ? null : p.wallTime().toString();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            Array a1 = c.createArrayOf("text", names);
            Array a2 = c.createArrayOf("int8", steps);
            Array a3 = c.createArrayOf("float8", values);
            Array a4 = c.createArrayOf("text", walls);
            ps.setArray(1, a1);
            ps.setArray(2, a2);
            ps.setArray(3, a3);
            ps.setArray(4, a4);
            ps.setObject(5, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    updated.merge(rs.getString(1), rs.getLong(3), Long::sum);
                }
            }
        }
    }

    /** Up to limit points of the series before step, ascending. */
    public List<SeriesPoint> before(UUID runId, String name, long step, int limit) {
        return session().doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select step, value from ingest.metric_points where run_id = ? and name = ? and step < ? order by step desc limit ?")) {
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
                    "select step, value from ingest.metric_points where run_id = ? and name = ? and step <= ? order by step")) {
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
                    "select distinct name from ingest.metric_points where run_id = ? order by name")) {
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
