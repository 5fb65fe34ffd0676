package dev.lookout.review.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.platform.outbox.EventEnvelope;
import dev.lookout.platform.outbox.Outbox;
import dev.lookout.review.entity.OutboxEvent;
import dev.lookout.review.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Map;
import java.util.UUID;

/** Writes an event into the outbox in the caller's transaction; {@link OutboxRelay} publishes it after the commit. */
@ApplicationScoped
public class OutboxWriter implements Outbox {

    private final OutboxRepository outbox;
    private final ObjectMapper json;

    public OutboxWriter(OutboxRepository outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(String type, String project, Map<String, ?> fields) {
        EventEnvelope envelope = EventEnvelope.of(type, project, fields);
        OutboxEvent event = new OutboxEvent();
        event.id = envelope.eventId();
        event.eventType = type;
        try {
            event.payload = json.writeValueAsString(envelope.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable", e);
        }
        event.createdAt = envelope.occurredAt();
        outbox.persist(event);
        return envelope.eventId();
    }
}
