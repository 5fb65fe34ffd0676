package dev.lookout.ingest.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.ingest.entity.OutboxEvent;
import dev.lookout.ingest.repository.OutboxRepository;
import dev.lookout.platform.outbox.EventEnvelope;
import dev.lookout.platform.outbox.EventFields;
import dev.lookout.platform.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Map;
import java.util.UUID;

/**
 * Writes an event into the outbox inside the caller's transaction ({@link OutboxRelay} publishes it after the
 * commit). Every event carries eventId, type, version, occurredAt and project ({@link EventEnvelope}); {@code fields}
 * adds the event's own fields.
 */
@ApplicationScoped
public class OutboxWriter implements Outbox {

    private final OutboxRepository outbox;
    private final ObjectMapper mapper;

    public OutboxWriter(OutboxRepository outbox, ObjectMapper mapper) {
        this.outbox = outbox;
        this.mapper = mapper;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(String type, String project, Map<String, ?> fields) {
        EventEnvelope envelope = EventEnvelope.of(type, project, fields);
        OutboxEvent e = new OutboxEvent();
        e.id = envelope.eventId();
        e.eventType = type;
        try {
            e.payload = mapper.writeValueAsString(envelope.body());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("event not serialisable", ex);
        }
        e.createdAt = envelope.occurredAt();
        outbox.persist(e);
        return envelope.eventId();
    }

    /** A model target of an event: {@code {endpoint, model}}. */
    public static EventFields target(String endpoint, String model) {
        return EventFields.of().with("endpoint", endpoint).with("model", model);
    }
}
