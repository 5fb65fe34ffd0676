package dev.lookout.platform.outbox;

import java.util.Map;
import java.util.UUID;

/**
 * The one writer API of the transactional outbox, implemented by each service's {@code messaging/OutboxWriter} over
 * its own table: the event is stored in the caller's transaction and published by {@link OutboxRelayLoop} after the
 * commit, so it goes out if and only if the change it announces was committed.
 */
public interface Outbox {

    /**
     * Stores a version-1 event of {@code type} for {@code project} ({@link EventEnvelope#of(String, String, Map)})
     * inside the caller's transaction, which must exist.
     *
     * @return the event's id (also the message id it is published with)
     */
    UUID append(String type, String project, Map<String, ?> fields);
}
