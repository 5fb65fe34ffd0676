package dev.lookout.review.repository;

import dev.lookout.review.service.Target;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * Streams the items of some batches that have a clear majority (more than half of the counted votes — latest per
 * reviewer, unless withdrawn — pick the same screen side). Plain JDBC with a server-side cursor (autocommit off, fetch size), so a
 * big run never sits in memory; runs outside any JTA transaction (called from a StreamingOutput).
 */
@ApplicationScoped
public class ExportRepository {

    /** One decided item with its batch's provenance and the counted votes by screen position. */
    public record DecidedItem(UUID itemId, UUID batchId, String probeId, String messagesJson, String textA, String textB,
                              String candidateSide, UUID runId, UUID checkpointId, Long step, UUID probeRunId,
                              Target candidate, Target baseline, long votesA, long votesB, long ties, long bothBad) {
    }

    @FunctionalInterface
    public interface RowSink {
        void accept(DecidedItem item) throws IOException;
    }

    static final int FETCH_SIZE = 200;

    private static final String SQL = """
            WITH latest AS (
                SELECT DISTINCT ON (v.item_id, v.reviewer) v.item_id, v.choice, v.withdrawn_at
                  FROM reviews.votes v JOIN reviews.items i ON i.id = v.item_id
                 WHERE i.batch_id = ANY (?)
                 ORDER BY v.item_id, v.reviewer, v.seq DESC),
            counted AS (
                SELECT item_id,
                       count(*) FILTER (WHERE choice = 'A')        AS votes_a,
                       count(*) FILTER (WHERE choice = 'B')        AS votes_b,
                       count(*) FILTER (WHERE choice = 'TIE')      AS ties,
                       count(*) FILTER (WHERE choice = 'BOTH_BAD') AS both_bad,
                       count(*)                                    AS total
                  FROM latest WHERE withdrawn_at IS NULL GROUP BY item_id)
            SELECT i.id, i.batch_id, i.probe_id, CAST(i.messages AS text), i.text_a, i.text_b, i.candidate_side,
                   b.run_id, b.checkpoint_id, b.step, b.probe_run_id,
                   b.candidate_endpoint, b.candidate_model, b.baseline_endpoint, b.baseline_model,
                   c.votes_a, c.votes_b, c.ties, c.both_bad
              FROM counted c
              JOIN reviews.items i ON i.id = c.item_id
              JOIN reviews.batches b ON b.id = i.batch_id
             WHERE greatest(c.votes_a, c.votes_b) * 2 > c.total
             ORDER BY b.step NULLS LAST, b.created_at, b.id, i.position""";

    private final AgroalDataSource dataSource;

    public ExportRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void streamDecided(Collection<UUID> batchIds, RowSink sink) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // PostgreSQL only honours the fetch size inside a transaction
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(SQL)) {
                Array ids = connection.createArrayOf("uuid", batchIds.toArray());
                statement.setArray(1, ids);
                statement.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new DecidedItem(
                                rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                rs.getObject(8, UUID.class), rs.getObject(9, UUID.class),
                                (Long) rs.getObject(10), rs.getObject(11, UUID.class),
                                new Target(rs.getString(12), rs.getString(13)),
                                new Target(rs.getString(14), rs.getString(15)),
                                rs.getLong(16), rs.getLong(17), rs.getLong(18), rs.getLong(19)));
                    }
                }
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("export query failed", e));
        }
    }
}
