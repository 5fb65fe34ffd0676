package dev.lookout.platform.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One claimed outbox row, as the relay hands it to an {@link OutboxSink}.
 *
 * @param id          the row id: the eventId of an event, used as the message id
 * @param destination where it goes when a table serves several (probe-runner: {@code events} or {@code work});
 *                    null for a table without that column
 * @param type        the routing key (the event type)
 * @param payload     the JSON body, as stored
 * @param createdAt   when it was written
 */
public record OutboxMessage(UUID id, String destination, String type, String payload, Instant createdAt) {
}
