package dev.lookout.proberunner.messaging;

import java.time.Instant;
import java.util.UUID;

import java.sql.PreparedStatement;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.entity.OutboxEvent;
import dev.lookout.proberunner.repository.OutboxRepository;
import io.vertx.core.json.JsonObject;

/** Writes events and call messages to the outbox inside the caller's transaction. */
@ApplicationScoped
public class OutboxWriter {

    public static final String PROBE_RUN_STARTED = "probe-run.started";
    public static final String PROBE_RUN_PROGRESSED = "probe-run.progressed";
    public static final String PROBE_RUN_COMPLETED = "probe-run.completed";

    private final OutboxRepository outbox;
    private final TransactionSynchronizationRegistry tx;
    private final Instance<OutboxRelay> relay;

    public OutboxWriter(OutboxRepository outbox, TransactionSynchronizationRegistry tx, Instance<OutboxRelay> relay) {
        this.outbox = outbox;
        this.tx = tx;
        this.relay = relay;
    }

    /** Once per transaction: after a successful commit, tell the relay to publish right away. */
    private void triggerAfterCommit() {
        if (tx.getResource(OutboxWriter.class) != null) {
            return;
        }
        tx.putResource(OutboxWriter.class, Boolean.TRUE);
        tx.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.get().trigger();
                }
            }
        });
    }

    /** Common envelope of every event: eventId, type, version 1, occurredAt, project. */
    public static JsonObject envelope(String type, String project) {
        return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", type).put("version", 1)
                .put("occurredAt", Instant.now().toString()).put("project", project);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void event(JsonObject event) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.fromString(event.getString("eventId"));
        row.destination = OutboxEvent.EVENTS;
        row.eventType = event.getString("type");
        row.payload = event.encode();
        row.createdAt = Instant.now();
        outbox.persist(row);
        triggerAfterCommit();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void call(CallMessage call) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.randomUUID();
        row.destination = OutboxEvent.WORK;
        row.eventType = Channels.CALL_ROUTING_KEY;
        row.payload = call.toJson().encode();
        row.createdAt = Instant.now();
        outbox.persist(row);
        triggerAfterCommit();
    }

    /** One call message (attempt 1) per output, as one multi-row insert in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void calls(UUID probeRunId, List<UUID> outputIds) {
        outbox.getEntityManager().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into outbox (id, destination, event_type, payload, created_at)
                    select gen_random_uuid(), ?, ?, jsonb_build_object('outputId', cast(o as text),
                      'probeRunId', cast(? as text), 'attempt', 1), clock_timestamp()
                    from unnest(?::uuid[]) with ordinality as t(o, n) order by n
                    """)) {
                ps.setString(1, OutboxEvent.WORK);
                ps.setString(2, Channels.CALL_ROUTING_KEY);
                ps.setObject(3, probeRunId);
                ps.setArray(4, c.createArrayOf("uuid", outputIds.toArray()));
                ps.executeUpdate();
            }
        });
        triggerAfterCommit();
    }
}
