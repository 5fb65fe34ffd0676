package dev.lookout.review.messaging;

/** The event types review-service publishes (routing keys on review.events; schemas in deploy/contracts). */
public final class EventTypes {
    public static final String VERDICT_UPDATED = "verdict.updated";
    /** A review batch was opened (any source); carries what a notification needs to name the round. */
    public static final String REVIEW_BATCH_OPENED = "review-batch.opened";

    private EventTypes() {
    }
}
