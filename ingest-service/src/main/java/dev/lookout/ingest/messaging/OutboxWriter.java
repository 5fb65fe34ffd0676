package dev.lookout.ingest.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.ingest.entity.OutboxEvent;
import dev.lookout.ingest.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes an event into the outbox inside the caller's transaction. Every event carries eventId, type,
 * version, occurredAt and project; {@code fields} adds the event's own fields.
 */
@ApplicationScoped
public class OutboxWriter {

    private final OutboxRepository outbox;
    private final ObjectMapper mapper;

    public OutboxWriter(OutboxRepository outbox, ObjectMapper mapper) {
        this.outbox = outbox;
        this.mapper = mapper;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(String type, String project, Consumer<ObjectNode> fields) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ObjectNode json = mapper.createObjectNode();
        json.put("eventId", id.toString());
        json.put("type", type);
        json.put("version", 1);
        json.put("occurredAt", now.toString());
        json.put("project", project);
        fields.accept(json);
        OutboxEvent e = new OutboxEvent();
        e.id = id;
        e.eventType = type;
        try {
            e.payload = mapper.writeValueAsString(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("event not serialisable", ex);
        }
        e.createdAt = now;
        outbox.persist(e);
        return id;
    }

    public static ObjectNode target(ObjectNode parent, String field, String endpoint, String model) {
        ObjectNode t = parent.putObject(field);
        t.put("endpoint", endpoint);
        t.put("model", model);
        return t;
    }
}
