package dev.lookout.ingest.repository;

import dev.lookout.ingest.service.MetricPoint;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Binary {@code COPY} of metric points into ingest.metric_points: values travel as their IEEE bits (NaN and
 * ±Infinity included, nothing is formatted or parsed as text), steps as int8, wall times as microseconds
 * since 2000-01-01 (rounded half-even, as PostgreSQL rounds a text timestamp).
 */
final class MetricCopy {

    private static final String SQL = "copy ingest.metric_points (run_id, name, step, value, wall_time) from stdin (format binary)";
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix seconds. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private MetricCopy() {
    }

    /** Copies the points in streams of at most chunk rows; returns the rows written. */
    static long copy(Connection c, UUID runId, List<MetricPoint> points, int chunk) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        Map<String, byte[]> names = new HashMap<>();
        long rows = 0;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (int from = 0; from < points.size(); from += chunk) {
            int to = Math.min(points.size(), from + chunk);
            CopyIn in = pg.getCopyAPI().copyIn(SQL);
            try {
                buf.clear();
                buf.put(HEADER);
                for (int i = from; i < to; i++) {
                    MetricPoint p = points.get(i);
                    byte[] name = names.computeIfAbsent(p.name(), n -> n.getBytes(StandardCharsets.UTF_8));
                    int need = 2 + 4 + 16 + 4 + name.length + 4 + 8 + 4 + 8 + 4 + 8;
                    if (buf.remaining() < need) {
                        flush(in, buf);
                        if (buf.capacity() < need) {
                            buf = ByteBuffer.allocate(need * 2);
                        }
                    }
                    buf.putShort((short) 5);
                    buf.putInt(16).putLong(runId.getMostSignificantBits()).putLong(runId.getLeastSignificantBits());
                    buf.putInt(name.length).put(name);
                    buf.putInt(8).putLong(p.step());
                    buf.putInt(8).putLong(Double.doubleToLongBits(p.value()));
                    if (p.wallTime() == null) {
                        buf.putInt(-1);
                    } else {
                        buf.putInt(8).putLong(micros(p.wallTime()));
                    }
                }
                if (buf.remaining() < 2) {
                    flush(in, buf);
                }
                buf.putShort((short) -1);
                flush(in, buf);
                rows += in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        }
        return rows;
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

    private static void flush(CopyIn in, ByteBuffer buf) throws SQLException {
        if (buf.position() > 0) {
            in.writeToCopy(buf.array(), 0, buf.position());
            buf.clear();
        }
    }
}
