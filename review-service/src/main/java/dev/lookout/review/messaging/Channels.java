package dev.lookout.review.messaging;

/** Logical channel names (exchanges and queues are bound in application.properties). */
public final class Channels {
    /** Incoming: probe-runner.events / probe-run.completed → queue review-service.probe-run.completed. */
    public static final String PROBE_RUN_COMPLETED = "probe-run-completed";
    /** Outgoing: review.events, routing key = event type. */
    public static final String REVIEW_EVENTS = "review-events";

    private Channels() {
    }
}
