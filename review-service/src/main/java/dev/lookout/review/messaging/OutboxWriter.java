package dev.lookout.review.messaging;

import dev.lookout.review.entity.OutboxEvent;
import dev.lookout.review.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Writes an event into the outbox in the caller's transaction; {@link OutboxRelay} publishes it later. */
@ApplicationScoped
public class OutboxWriter {

    private final OutboxRepository outbox;

    public OutboxWriter(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID write(String type, String project, Map<String, Object> fields) {
        UUID eventId = UUID.randomUUID();
        Instant now = Instant.now();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("eventId", eventId.toString());
        payload.put("type", type);
        payload.put("version", 1);
        payload.put("occurredAt", now.toString());
        payload.put("project", project);
        payload.putAll(fields);
        OutboxEvent event = new OutboxEvent();
        event.id = eventId;
        event.eventType = type;
        event.payload = payload;
        event.createdAt = now;
        outbox.persist(event);
        return eventId;
    }
}
