package dev.lookout.ingest.repository;

import dev.lookout.ingest.service.PointSink;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the points of one append as they arrive, so that PostgreSQL stores them while the caller is still
 * reading the next ones. A point whose step lies beyond the last stored step of its series (and beyond every
 * earlier point of the append in that series: the normal case, a training job appending) cannot meet an
 * existing row and goes straight into a binary {@code COPY} stream of (series id, step, value, wall time) ({@link MetricCopy} row format, at most
 * {@code chunk} rows per statement). Every other point (re-sent or rewritten steps) is kept aside, de-duplicated
 * (newest wins, counted) and written after the COPY by one {@code INSERT … ON CONFLICT} per chunk, which tells
 * duplicates and conflicts apart against what is stored, including what this append just copied.
 *
 * <p>Not thread-safe; one per append, on the transaction's connection. The caller holds the run's row lock,
 * which keeps "beyond the last stored step" true until commit. {@link #close()} cancels an unfinished COPY so
 * that a failed append leaves the connection usable for the rollback.
 */
final class MetricWriter implements PointSink, AutoCloseable {

    private static final String UPSERT = """
            with input(series_id, step, value, wall_time) as (
                select * from unnest(?::bigint[], ?::bigint[], ?::float8[], ?::text[]::timestamptz[])
            ), upsert as (
                insert into ingest.metric_points as m (series_id, step, value, wall_time)
                select series_id, step, value, wall_time from input
                on conflict (series_id, step) do update
                    set value = excluded.value, wall_time = coalesce(excluded.wall_time, m.wall_time)
                    where m.value is distinct from excluded.value
                returning m.series_id, (xmax = 0) as inserted
            )
            select series_id, count(*) filter (where inserted), count(*) filter (where not inserted)
            from upsert group by series_id""";

    private static final String NEW_SERIES = """
            insert into ingest.series (run_id, name) values (?, ?)
            on conflict (run_id, name) do update set name = excluded.name
            returning id""";

    /** A series of the run as stored: its id and last stored step (-1 when it has no points). */
    record Known(long id, long last) {
    }

    /** What one append did, per series and in total. */
    record Counts(Map<String, Long> inserted, long updated, long duplicates, long conflictsInBatch, long received) {
    }

    private static final class Series {
        final String name;
        final long id;
        /** Highest step stored or copied so far; -1 when none (steps are >= 0). */
        long last;
        long copied;

        Series(String name, long id, long last) {
            this.name = name;
            this.id = id;
            this.last = last;
        }
    }

    private record Key(long series, long step) {
    }

    private record Rest(Series series, long step, double value, long wallMicros) {
    }

    private final Connection connection;
    private final UUID runId;
    private final Map<String, Known> known;
    private final int chunk;
    private final Map<String, Series> seriesByValue = new HashMap<>();
    private final List<Rest> rest = new ArrayList<>();
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    private CopyIn copy;
    private int inCopy;
    private long received;

    /** @param known the run's series as stored (others are created when their first point arrives) */
    MetricWriter(Connection connection, UUID runId, Map<String, Known> known, int chunk) {
        this.connection = connection;
        this.runId = runId;
        this.known = known;
        this.chunk = chunk;
    }

    @Override
    public void add(String name, long step, double value, long wallMicros) {
        received++;
        try {
            Series s = seriesByValue.get(name);
            if (s == null) {
                s = series(name);
                seriesByValue.put(name, s);
            }
            if (step > s.last) {
                s.last = step;
                s.copied++;
                copyRow(s, step, value, wallMicros);
            } else {
                rest.add(new Rest(s, step, value, wallMicros));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing metric points failed", e);
        }
    }

    /** A series seen for the first time in this append: stored already, or created now (ending the COPY under way). */
    private Series series(String name) throws SQLException {
        Known k = known.get(name);
        if (k != null) {
            return new Series(name, k.id(), k.last());
        }
        if (copy != null) {
            endCopy();
        }
        try (PreparedStatement ps = connection.prepareStatement(NEW_SERIES)) {
            ps.setObject(1, runId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Series(name, rs.getLong(1), -1);
            }
        }
    }

    private void copyRow(Series s, long step, double value, long wallMicros) throws SQLException {
        if (copy == null) {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(MetricCopy.SQL);
            buf.clear();
            buf.put(MetricCopy.HEADER);
        }
        if (buf.remaining() < 2 + 4 * 12 + 2) {
            flush();
        }
        buf.putShort((short) 4);
        buf.putInt(8).putLong(s.id);
        buf.putInt(8).putLong(step);
        buf.putInt(8).putLong(Double.doubleToLongBits(value));
        if (wallMicros == NO_WALL) {
            buf.putInt(-1);
        } else {
            buf.putInt(8).putLong(wallMicros);
        }
        if (++inCopy >= chunk) {
            endCopy();
        }
    }

    private void flush() throws SQLException {
        if (buf.position() > 0) {
            copy.writeToCopy(buf.array(), 0, buf.position());
            buf.clear();
        }
    }

    private void endCopy() throws SQLException {
        buf.putShort((short) -1);
        flush();
        copy.endCopy();
        copy = null;
        inCopy = 0;
    }

    /** Ends the COPY, writes the kept-aside points and says what happened. */
    Counts finish() throws SQLException {
        if (copy != null) {
            endCopy();
        }
        Map<String, Long> inserted = new HashMap<>();
        for (Series s : seriesByValue.values()) {
            if (s.copied > 0) {
                inserted.put(s.name, s.copied);
            }
        }
        long duplicates = 0;
        long conflicts = 0;
        long updated = 0;
        if (!rest.isEmpty()) {
            Map<Key, Rest> unique = new HashMap<>(rest.size() * 2);
            for (Rest r : rest) {
                Rest earlier = unique.put(new Key(r.series().id, r.step()), r);
                if (earlier != null) {
                    if (sameValue(earlier.value(), r.value())) {
                        duplicates++;
                    } else {
                        conflicts++;
                    }
                }
            }
            List<Rest> points = new ArrayList<>(unique.values());
            long insertedByUpsert = 0;
            for (int from = 0; from < points.size(); from += chunk) {
                long[] iu = upsert(points.subList(from, Math.min(points.size(), from + chunk)), inserted);
                insertedByUpsert += iu[0];
                updated += iu[1];
            }
            duplicates += points.size() - insertedByUpsert - updated;
        }
        return new Counts(inserted, updated, duplicates, conflicts, received);
    }

    private long[] upsert(List<Rest> points, Map<String, Long> inserted) throws SQLException {
        int n = points.size();
        Long[] ids = new Long[n];
        Map<Long, String> names = new HashMap<>();
        Long[] steps = new Long[n];
        Double[] values = new Double[n];
        String[] walls = new String[n];
        for (int i = 0; i < n; i++) {
            Rest p = points.get(i);
            ids[i] = p.series().id;
            names.put(p.series().id, p.series().name);
            steps[i] = p.step();
            values[i] = p.value();
            walls[i] = p.wallMicros() == NO_WALL ? null : MetricCopy.instant(p.wallMicros()).toString();
        }
        long ins = 0;
        long upd = 0;
        try (PreparedStatement ps = connection.prepareStatement(UPSERT)) {
            Array a1 = connection.createArrayOf("int8", ids);
            Array a2 = connection.createArrayOf("int8", steps);
            Array a3 = connection.createArrayOf("float8", values);
            Array a4 = connection.createArrayOf("text", walls);
            ps.setArray(1, a1);
            ps.setArray(2, a2);
            ps.setArray(3, a3);
            ps.setArray(4, a4);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long i = rs.getLong(2);
                    ins += i;
                    upd += rs.getLong(3);
                    if (i > 0) {
                        inserted.merge(names.get(rs.getLong(1)), i, Long::sum);
                    }
                }
            }
        }
        return new long[] {ins, upd};
    }

    /** PostgreSQL's float8 equality: NaN equals NaN, 0.0 equals -0.0. */
    static boolean sameValue(double a, double b) {
        return a == b || (Double.isNaN(a) && Double.isNaN(b));
    }

    @Override
    public void close() throws SQLException {
        if (copy != null && copy.isActive()) {
            copy.cancelCopy();
        }
        copy = null;
    }
}
