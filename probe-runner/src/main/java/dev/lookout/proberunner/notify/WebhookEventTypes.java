package dev.lookout.proberunner.notify;

import java.util.List;

/** The event types a webhook may subscribe to, and the test delivery's type. */
public final class WebhookEventTypes {

    public static final String ALARM_RAISED = "alarm.raised";
    public static final String PROBE_RUN_COMPLETED = "probe-run.completed";
    public static final String REVIEW_NEEDED = "review.needed";
    public static final String VERDICT_UPDATED = "verdict.updated";
    /** Sent by POST .../webhooks/{id}/test to that webhook only; not subscribable. */
    public static final String WEBHOOK_TEST = "webhook.test";

    public static final List<String> SUBSCRIBABLE = List.of(ALARM_RAISED, PROBE_RUN_COMPLETED, REVIEW_NEEDED,
            VERDICT_UPDATED);

    private WebhookEventTypes() {
    }
}
