package dev.lookout.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One event as every Lookout service writes it to its outbox: the envelope ({@code eventId}, {@code type},
 * {@code version}, {@code occurredAt}, {@code project}, in that order) followed by the event's own fields.
 * <p>
 * The body is a map of plain JSON values only (String, Number, Boolean, null, Map with String keys, List), so any
 * JSON library serialises it the same way; a {@link UUID} value is written as its string, anything else is refused.
 * {@code occurredAt} has microsecond precision (what PostgreSQL's {@code timestamptz} keeps), so the outbox row's
 * {@code created_at} and the event agree to the microsecond.
 */
public record EventEnvelope(UUID eventId, String type, int version, Instant occurredAt, String project,
                            Map<String, Object> body) {

    /** The envelope members, in the order they lead every event body. */
    public static final List<String> MEMBERS = List.of("eventId", "type", "version", "occurredAt", "project");

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(body, "body");
    }

    /** A version-1 event of {@code type} for {@code project}, occurring now. */
    public static EventEnvelope of(String type, String project, Map<String, ?> fields) {
        return of(type, 1, project, fields, Clock.systemUTC());
    }

    /**
     * An event of {@code type} (= routing key) and schema {@code version} for {@code project}, occurring at the
     * clock's instant, with {@code fields} after the envelope in their iteration order.
     *
     * @throws IllegalArgumentException if the type is blank, the version is not positive, a field repeats an envelope
     *                                  member or holds something other than a plain JSON value
     */
    public static EventEnvelope of(String type, int version, String project, Map<String, ?> fields, Clock clock) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("event type must not be blank");
        }
        if (version < 1) {
            throw new IllegalArgumentException("event version must be 1 or more, got " + version);
        }
        UUID id = UUID.randomUUID();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", id.toString());
        body.put("type", type);
        body.put("version", version);
        body.put("occurredAt", at.toString());
        body.put("project", project);
        Set<String> envelope = Set.copyOf(MEMBERS);
        fields.forEach((name, value) -> {
            if (envelope.contains(name)) {
                throw new IllegalArgumentException("field " + name + " is an envelope member and set by the outbox");
            }
            body.put(name, plain(name, value));
        });
        return new EventEnvelope(id, type, version, at, project, Collections.unmodifiableMap(body));
    }

    private static Object plain(String path, Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!(k instanceof String key)) {
                    throw new IllegalArgumentException(path + " has a non-string key: " + k);
                }
                copy.put(key, plain(path + "." + key, v));
            });
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection<?> items) {
            List<Object> copy = new ArrayList<>(items.size());
            int i = 0;
            for (Object item : items) {
                copy.add(plain(path + "[" + i++ + "]", item));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(path + " is not a plain JSON value: " + value.getClass().getSimpleName());
    }
}
