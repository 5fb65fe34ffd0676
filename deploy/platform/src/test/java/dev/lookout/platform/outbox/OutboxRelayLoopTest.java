package dev.lookout.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The relay loop over a real PostgreSQL outbox table (a schema of its own in lookout_test, dropped afterwards). The
 * sink stands in for a broker channel: it records what was sent and confirms (or not) as each test says.
 */
class OutboxRelayLoopTest {

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    private final String schema = "platform_outbox_" + UUID.randomUUID().toString().replace("-", "");
    private final List<OutboxMessage> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createTable() throws SQLException {
        dataSource.setUrl(System.getProperty("lookout.test.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/lookout_test"));
        dataSource.setUser("postgres");
        sql("create schema " + schema + "; create table " + schema + ".outbox (id uuid primary key,"
                + " destination text, event_type text not null, payload jsonb not null,"
                + " created_at timestamptz not null default now(), published_at timestamptz)");
    }

    @AfterEach
    void dropTable() throws SQLException {
        sql("drop schema " + schema + " cascade");
    }

    @Test
    void shouldPublishOldestFirstInBatchesAndMarkThem() throws SQLException {
        List<UUID> ids = insert(5);
        OutboxRelayLoop loop = loop(confirming(), 2);

        assertEquals(2, loop.relayBatch());
        assertEquals(ids.subList(0, 2), sentIds());
        assertEquals(3, unpublished());

        loop.drain();

        assertEquals(ids, sentIds());
        assertEquals(0, unpublished());
        assertEquals(0, loop.relayBatch());
        assertEquals(5, sent.size());
        assertEquals("run.created", sent.get(0).type());
        assertEquals("{\"n\": 0}", sent.get(0).payload());
        assertNull(sent.get(0).destination());
    }

    @Test
    void shouldPassTheDestinationOfATableThatHasOne() throws SQLException {
        insert(1);
        sql("update " + schema + ".outbox set destination = 'work'");
        OutboxRelayLoop loop = new OutboxRelayLoop(JdbcOutboxStore.withDestinations(dataSource, schema + ".outbox"),
                confirming(), OutboxRelayLoop.Options.of(10, Duration.ofSeconds(5)));

        assertEquals(1, loop.relayBatch());
        assertEquals(1, sent.size());
        assertEquals("work", sent.get(0).destination());
    }

    @Test
    void shouldKeepTheBatchWhenAConfirmFails() throws SQLException {
        List<UUID> ids = insert(3);
        OutboxRelayLoop loop = loop(m -> m.id().equals(ids.get(1))
                ? CompletableFuture.failedFuture(new IllegalStateException("nack")) : confirm(m), 10);

        IllegalStateException e = assertThrows(IllegalStateException.class, loop::relayBatch);

        assertTrue(e.getMessage().contains("nack"), e.getMessage());
        assertEquals(3, unpublished());
    }

    @Test
    void shouldKeepTheBatchWhenNoConfirmComesInTime() throws SQLException {
        insert(2);
        OutboxRelayLoop loop = new OutboxRelayLoop(store(), m -> new CompletableFuture<>(),
                OutboxRelayLoop.Options.of(10, Duration.ofMillis(200)));

        assertThrows(IllegalStateException.class, loop::relayBatch);
        assertEquals(2, unpublished());
    }

    @Test
    void shouldResendABatchConfirmedButNotMarkedWhenTheRelayDiedInBetween() throws SQLException {
        List<UUID> ids = insert(2);
        OutboxRelayLoop crashing = new OutboxRelayLoop(store(), confirming(),
                OutboxRelayLoop.Options.of(10, Duration.ofSeconds(5)).afterConfirm(n -> {
                    throw new IllegalStateException("crash after " + n);
                }));

        assertThrows(IllegalStateException.class, crashing::relayBatch);
        assertEquals(2, unpublished());
        assertEquals(2, loop(confirming(), 10).relayBatch());

        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(0), ids.get(1)), sentIds());
        assertEquals(0, unpublished());
    }

    @Test
    void shouldNotClaimRowsAnotherRelayHolds() throws SQLException {
        List<UUID> ids = insert(5);
        OutboxStore store = store();

        try (OutboxStore.Claim first = store.claim(2); OutboxStore.Claim second = store.claim(10)) {
            assertEquals(ids.subList(0, 2), first.messages().stream().map(OutboxMessage::id).toList());
            assertEquals(ids.subList(2, 5), second.messages().stream().map(OutboxMessage::id).toList());
            second.markPublished();
        }

        assertEquals(2, unpublished());
    }

    @Test
    void shouldDrainOnATrigger() throws Exception {
        insert(3);
        OutboxRelayLoop loop = loop(confirming(), 2);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            loop.trigger(executor);
        } finally {
            executor.shutdown();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }

        assertEquals(3, sent.size());
        assertEquals(0, unpublished());
    }

    @Test
    void shouldLogAndStopADrainThatFails() throws SQLException {
        insert(1);
        OutboxRelayLoop loop = loop(m -> CompletableFuture.failedFuture(new IllegalStateException("down")), 10);

        loop.drain();

        assertEquals(1, unpublished());
    }

    @Test
    void shouldRefuseATableNameThatIsNotOne() {
        assertThrows(IllegalArgumentException.class, () -> JdbcOutboxStore.of(dataSource, "outbox; drop table x"));
        assertThrows(IllegalArgumentException.class, () -> OutboxRelayLoop.Options.of(0, Duration.ofSeconds(1)));
    }

    private OutboxStore store() {
        return JdbcOutboxStore.of(dataSource, schema + ".outbox");
    }

    private OutboxRelayLoop loop(OutboxSink sink, int batch) {
        return new OutboxRelayLoop(store(), sink, OutboxRelayLoop.Options.of(batch, Duration.ofSeconds(5)));
    }

    private OutboxSink confirming() {
        return this::confirm;
    }

    private CompletionStage<Void> confirm(OutboxMessage m) {
        sent.add(m);
        return CompletableFuture.completedFuture(null);
    }

    private List<UUID> sentIds() {
        return sent.stream().map(OutboxMessage::id).toList();
    }

    /** Rows one microsecond apart, oldest first; returns their ids in that order. */
    private List<UUID> insert(int n) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into "
                + schema + ".outbox (id, event_type, payload, created_at) values (?, 'run.created', cast(? as jsonb), ?)")) {
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                ps.setObject(1, id);
                ps.setString(2, "{\"n\": " + i + "}");
                ps.setObject(3, java.sql.Timestamp.from(t0.plusNanos(1000L * i)));
                ps.executeUpdate();
            }
        }
        return ids;
    }

    private long unpublished() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + schema + ".outbox where published_at is null")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }
}
