package dev.lookout.proberunner.notify;

import dev.lookout.proberunner.messaging.CallWorker;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.json.JsonObject;

/**
 * Events that notify, each turned into delivery rows in the same transaction as its dedupe mark (eventId in
 * webhook_processed_events): a redelivered event queues nothing twice. Queues (each with a dead-letter queue):
 * probe-runner.webhooks.ingest ← ingest.events (run.created and checkpoint.registered only remember run names;
 * alarm.raised notifies), probe-runner.webhooks.probe-runs ← probe-runner.events (probe-run.completed),
 * probe-runner.webhooks.reviews ← review.events (review-batch.opened → review.needed; verdict.updated only when the
 * batch's verdict turns decided). Anything unexpected nacks the message → its dead-letter queue.
 */
@ApplicationScoped
public class WebhookEventConsumer {


    public static final String INGEST = "webhook-ingest-events";
    public static final String PROBE_RUNS = "webhook-probe-run-events";
    public static final String REVIEWS = "webhook-review-events";

    private final DeliveryQueue queue;
    private final EntityManager em;

    public WebhookEventConsumer(DeliveryQueue queue, EntityManager em) {
        this.queue = queue;
        this.em = em;
    }

    @Incoming(INGEST)
    @Blocking
    @Transactional
    public void onIngestEvent(Object payload) {
        JsonObject e = CallWorker.toJson(payload);
        String type = e.getString("type");
        if ("run.created".equals(type) || "checkpoint.registered".equals(type)) {
            rememberRunName(EventNotifications.uuid(e, "runId"), e.getString("runName"));
        } else if (WebhookEventTypes.ALARM_RAISED.equals(type)) {
            queue.fanOut(eventId(e), type, EventNotifications.alarm(e, runName(e)));
        }
    }

    @Incoming(PROBE_RUNS)
    @Blocking
    @Transactional
    public void onProbeRunEvent(Object payload) {
        JsonObject e = CallWorker.toJson(payload);
        if (WebhookEventTypes.PROBE_RUN_COMPLETED.equals(e.getString("type"))) {
            queue.fanOut(eventId(e), e.getString("type"), EventNotifications.probeRunCompleted(e, runName(e)));
        }
    }

    @Incoming(REVIEWS)
    @Blocking
    @Transactional
    public void onReviewEvent(Object payload) {
        JsonObject e = CallWorker.toJson(payload);
        String type = e.getString("type");
        if ("review-batch.opened".equals(type)) {
            queue.fanOut(eventId(e), type, EventNotifications.reviewNeeded(e, runName(e)));
        } else if (WebhookEventTypes.VERDICT_UPDATED.equals(type)) {
            UUID eventId = eventId(e);
            if (queue.markProcessed(eventId, type) && turnedDecided(e)) {
                queue.queueForSubscribers(EventNotifications.verdictDecided(e, runName(e)));
            }
        }
    }

    /** Stores the batch's verdict state; true when it is decided now and was not before (or was never seen). */
    boolean turnedDecided(JsonObject e) {
        UUID batch = EventNotifications.uuid(e, "batchId");
        boolean decided = Boolean.TRUE.equals(e.getBoolean("decided"));
        if (batch == null) {
            return false;
        }
        Object before = em.createNativeQuery("""
                select decided from webhook_verdict_states where batch_id = :b for update
                """).setParameter("b", batch).getResultStream().findFirst().orElse(null);
        em.createNativeQuery("""
                insert into webhook_verdict_states (batch_id, decided, updated_at) values (:b, :d, now())
                on conflict (batch_id) do update set decided = excluded.decided, updated_at = now()
                """).setParameter("b", batch).setParameter("d", decided).executeUpdate();
        return decided && !Boolean.TRUE.equals(before);
    }

    private void rememberRunName(UUID runId, String name) {
        if (runId == null || name == null || name.isBlank()) {
            return;
        }
        em.createNativeQuery("""
                insert into webhook_run_names (run_id, name) values (:r, :n)
                on conflict (run_id) do update set name = excluded.name
                """).setParameter("r", runId).setParameter("n", name).executeUpdate();
    }

    /** The run's name: from the event itself, else as remembered from ingest's events; null when unknown. */
    String runName(JsonObject e) {
        if (e.getString("runName") != null) {
            return e.getString("runName");
        }
        return runName(EventNotifications.uuid(e, "runId"));
    }

    public String runName(UUID runId) {
        if (runId == null) {
            return null;
        }
        return (String) em.createNativeQuery("select name from webhook_run_names where run_id = :r")
                .setParameter("r", runId).getResultStream().findFirst().orElse(null);
    }

    private static UUID eventId(JsonObject e) {
        UUID id = EventNotifications.uuid(e, "eventId");
        if (id == null || e.getString("project") == null) {
            throw new IllegalArgumentException(e.getString("type") + " without eventId or project");
        }
        return id;
    }
}
