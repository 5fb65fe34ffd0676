package dev.lookout.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An outbox table in PostgreSQL, claimed over plain JDBC: {@code id uuid, event_type text, payload jsonb,
 * created_at timestamptz, published_at timestamptz} (plus {@code destination text} when the table serves several
 * destinations). Rows are claimed oldest first ({@code created_at, id}) {@code FOR UPDATE SKIP LOCKED}, so concurrent
 * relays never send the same row at once.
 * <p>
 * Each claim is its own JDBC transaction, not the application's JTA transaction: the relay waits there for the
 * broker's confirms, which complete on the broker client's event loop, and a JTA transaction waited on across threads
 * was seen committing "with 2 threads active" and rolling back under load.
 */
public final class JdbcOutboxStore implements OutboxStore {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final DataSource dataSource;
    private final String select;
    private final String update;

    private JdbcOutboxStore(DataSource dataSource, String table, boolean destinations) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.dataSource = dataSource;
        this.select = "select id, " + (destinations ? "destination" : "null") + ", event_type, cast(payload as text),"
                + " created_at from " + table + " where published_at is null order by created_at, id limit ?"
                + " for update skip locked";
        this.update = "update " + table + " set published_at = now() where id = any(?)";
    }

    /** A table ({@code schema.table} or a name on the search path) with one destination. */
    public static JdbcOutboxStore of(DataSource dataSource, String table) {
        return new JdbcOutboxStore(dataSource, table, false);
    }

    /** A table with a {@code destination} column, passed on in {@link OutboxMessage#destination()}. */
    public static JdbcOutboxStore withDestinations(DataSource dataSource, String table) {
        return new JdbcOutboxStore(dataSource, table, true);
    }

    @Override
    public Claim claim(int limit) {
        try {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                return new JdbcClaim(c, select(c, limit));
            } catch (SQLException | RuntimeException e) {
                end(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("outbox claim failed: " + e.getMessage(), e);
        }
    }

    private List<OutboxMessage> select(Connection c, int limit) throws SQLException {
        List<OutboxMessage> messages = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    messages.add(new OutboxMessage(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return messages;
    }

    /** Rolls back and closes after a failure, keeping the first exception. */
    private static void end(Connection c, Exception first) {
        try (c) {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            first.addSuppressed(e);
        }
    }

    private final class JdbcClaim implements Claim {
        private final Connection connection;
        private final List<OutboxMessage> messages;
        private boolean committed;

        JdbcClaim(Connection connection, List<OutboxMessage> messages) {
            this.connection = connection;
            this.messages = List.copyOf(messages);
        }

        @Override
        public List<OutboxMessage> messages() {
            return messages;
        }

        @Override
        public void markPublished() {
            try (PreparedStatement ps = connection.prepareStatement(update)) {
                ps.setArray(1, connection.createArrayOf("uuid", messages.stream().map(OutboxMessage::id).toArray()));
                ps.executeUpdate();
                connection.commit();
                committed = true;
            } catch (SQLException e) {
                throw new IllegalStateException("outbox mark failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try (connection) {
                if (!committed) {
                    connection.rollback();
                }
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException("outbox claim not ended cleanly: " + e.getMessage(), e);
            }
        }
    }
}
