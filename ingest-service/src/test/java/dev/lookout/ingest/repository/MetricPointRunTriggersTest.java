package dev.lookout.ingest.repository;

import dev.lookout.ingest.service.MetricPoint;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static dev.lookout.ingest.IngestFixtures.createRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The statement-level triggers (V2, V4) that stand in for row-level foreign keys: a point's series must exist
 * (SQLState 23503, nothing stored) and stays key-share locked until commit, as does the run of a series created
 * with it; deleting a run deletes its series and their points; runs.id cannot change. Checked through plain SQL
 * on the datasource and through the repository's COPY.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class MetricPointRunTriggersTest {

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MetricRepository metrics;

    @Test
    void shouldRefuseInsertedPointsOfMissingRunAndStoreNothing() throws SQLException {
        UUID missing = UUID.randomUUID();
        UUID run = UUID.fromString(createRun());
        try (Connection c = dataSource.getConnection()) {
            SQLException e = assertThrows(SQLException.class, () -> insertPoints(c, missing, missing));
            assertEquals(FOREIGN_KEY_VIOLATION, e.getSQLState(), e.getMessage());
            // One statement with an existing and a missing series is refused whole.
            long real = series(c, run, "train/loss");
            e = assertThrows(SQLException.class, () -> insertPoints(c, real, -42));
            assertEquals(FOREIGN_KEY_VIOLATION, e.getSQLState(), e.getMessage());
        }
        assertEquals(0, countPoints(missing));
        assertEquals(0, countPoints(run));
        try (Connection c = dataSource.getConnection()) {
            insertPoints(c, run, run);
        }
        assertEquals(2, countPoints(run));
    }

    @Test
    void shouldRefuseCopiedPointsOfMissingRunAndStoreNothing() throws SQLException {
        UUID missing = UUID.randomUUID();
        List<MetricPoint> points = List.of(new MetricPoint("train/loss", 1, 2.0, null),
                new MetricPoint("train/loss", 2, 1.5, null));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> metrics.upsert(missing, points)));
        assertEquals(FOREIGN_KEY_VIOLATION, sqlState(e), String.valueOf(e));
        assertEquals(0, countPoints(missing));

        UUID run = UUID.fromString(createRun());
        QuarkusTransaction.requiringNew().run(() -> metrics.upsert(run, points));
        assertEquals(2, countPoints(run));
    }

    @Test
    void shouldKeyShareLockTheRunOfInsertedPointsUntilCommit() throws SQLException {
        UUID run = UUID.fromString(createRun());
        assertRowLockedWhileInserting(writer -> insertPoints(writer, run, run), "ingest.runs", run);
        assertEquals(0, countPoints(run));
    }

    @Test
    void shouldKeyShareLockTheSeriesOfInsertedPointsUntilCommit() throws SQLException {
        UUID run = UUID.fromString(createRun());
        long series;
        try (Connection c = dataSource.getConnection()) {
            series = series(c, run, "train/loss");
        }
        assertRowLockedWhileInserting(writer -> insertPoints(writer, series, series), "ingest.series", series);
        assertEquals(0, countPoints(run));
    }

    @Test
    void shouldDeletePointsWithTheirRun() throws SQLException {
        UUID run = UUID.fromString(createRun());
        UUID kept = UUID.fromString(createRun());
        try (Connection c = dataSource.getConnection()) {
            insertPoints(c, run, kept);
            try (PreparedStatement ps = c.prepareStatement("delete from ingest.runs where id = ?")) {
                ps.setObject(1, run);
                assertEquals(1, ps.executeUpdate());
            }
        }
        assertEquals(0, countPoints(run));
        assertEquals(1, countPoints(kept));
    }

    @Test
    void shouldRefuseChangingRunId() throws SQLException {
        UUID run = UUID.fromString(createRun());
        try (Connection c = dataSource.getConnection()) {
            insertPoints(c, run, run);
            try (PreparedStatement ps = c.prepareStatement("update ingest.runs set id = ? where id = ?")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, run);
                SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
                assertEquals(FOREIGN_KEY_VIOLATION, e.getSQLState(), e.getMessage());
            }
            try (PreparedStatement ps = c.prepareStatement("select count(*) from ingest.runs where id = ?")) {
                ps.setObject(1, run);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(1, rs.getLong(1));
                }
            }
        }
        assertEquals(2, countPoints(run));
    }

    /** The run's series of that name, created when missing (a missing run fails with the series' foreign key). */
    /** What a writing transaction does before another connection tries to lock a row. */
    private interface Write {
        void run(Connection writer) throws SQLException;
    }

    /**
     * Runs {@code write} in an open transaction and asserts that the row {@code id} of {@code table} cannot be locked
     * FOR UPDATE by another connection meanwhile; rolls the write back.
     */
    private void assertRowLockedWhileInserting(Write write, String table, Object id) throws SQLException {
        try (Connection writer = dataSource.getConnection(); Connection other = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try {
                write.run(writer);
                try (PreparedStatement ps = other.prepareStatement("select 1 from " + table + " where id = ? for update nowait")) {
                    ps.setObject(1, id);
                    SQLException e = assertThrows(SQLException.class, ps::executeQuery);
                    assertEquals("55P03", e.getSQLState(), e.getMessage()); // lock_not_available
                }
            } finally {
                writer.rollback();
                writer.setAutoCommit(true);
            }
        }
    }

    private static long series(Connection c, UUID run, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into ingest.series (run_id, name) values (?, ?)
                on conflict (run_id, name) do update set name = excluded.name returning id""")) {
            ps.setObject(1, run);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** train/loss at step 1 for the first run and at step 2 for the second (series created first, then one INSERT). */
    private static void insertPoints(Connection c, UUID first, UUID second) throws SQLException {
        insertPoints(c, series(c, first, "train/loss"), series(c, second, "train/loss"));
    }

    /** One INSERT statement: step 1 of the first series and step 2 of the second. */
    private static void insertPoints(Connection c, long first, long second) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into ingest.metric_points (series_id, step, value)
                values (?, 1, 2.0), (?, 2, 1.5)""")) {
            ps.setLong(1, first);
            ps.setLong(2, second);
            ps.executeUpdate();
        }
    }

    private long countPoints(UUID run) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from ingest.metric_points m join ingest.series s on s.id = m.series_id where s.run_id = ?")) {
            ps.setObject(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        fail("no SQLException in " + e);
        return null;
    }
}
