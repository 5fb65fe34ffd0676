package dev.lookout.proberunner.messaging;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.platform.outbox.EventEnvelope;
import dev.lookout.platform.outbox.Outbox;
import dev.lookout.proberunner.entity.OutboxEvent;
import dev.lookout.proberunner.repository.OutboxRepository;

/**
 * Writes events and call messages to the outbox inside the caller's transaction, and asks {@link OutboxRelay} to
 * publish them right after the commit.
 */
@ApplicationScoped
public class OutboxWriter implements Outbox {

    private final OutboxRepository outbox;
    private final ObjectMapper mapper;
    private final TransactionSynchronizationRegistry tx;
    private final Instance<OutboxRelay> relay;

    public OutboxWriter(OutboxRepository outbox, ObjectMapper mapper, TransactionSynchronizationRegistry tx,
            Instance<OutboxRelay> relay) {
        this.outbox = outbox;
        this.mapper = mapper;
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

    /** An event to probe-runner.events (destination "events"). */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(String type, String project, Map<String, ?> fields) {
        EventEnvelope envelope = EventEnvelope.of(type, project, fields);
        OutboxEvent row = new OutboxEvent();
        row.id = envelope.eventId();
        row.destination = OutboxEvent.EVENTS;
        row.eventType = type;
        try {
            row.payload = mapper.writeValueAsString(envelope.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable", e);
        }
        row.createdAt = envelope.occurredAt();
        outbox.persist(row);
        triggerAfterCommit();
        return envelope.eventId();
    }

    /**
     * One call message (attempt 1) per output to the work queue (destination "work"), as one multi-row insert in the
     * caller's transaction.
     */
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
