package dev.lookout.ingest.messaging;

/** Channel names; the exchange each maps to is set in application.properties. */
public final class Channels {
    /** Outgoing: topic exchange ingest.events (test.ingest.events in %test), routing key = event type. */
    public static final String INGEST_EVENTS = "ingest-events";

    private Channels() {
    }
}
