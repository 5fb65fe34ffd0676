package dev.lookout.proberunner.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

/**
 * Turns a notification into delivery rows inside the caller's transaction: the delivery table is the webhooks'
 * outbox, and {@link WebhookDeliveryWorker} sends its rows later, never on the thread that wrote them.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class);

    private final EntityManager em;
    private final WebhookRepository webhooks;
    private final String publicUrl;
    private final int maxBodyBytes;

    public DeliveryQueue(EntityManager em, WebhookRepository webhooks, NotifyConfig config) {
        this.em = em;
        this.webhooks = webhooks;
        this.publicUrl = config.publicUrl().filter(u -> !u.isBlank()).orElse(null);
        this.maxBodyBytes = config.maxBodyBytes();
    }

    /**
     * Marks {@code eventId} processed and queues one delivery per enabled webhook of the project subscribed to the
     * notification's type, all in the caller's transaction. Returns the deliveries queued; 0 when the event was
     * processed before (a redelivered event creates nothing).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int fanOut(UUID eventId, String eventType, Notification n) {
        if (!markProcessed(eventId, eventType)) {
            LOG.debugf("%s %s already turned into deliveries", eventType, eventId);
            return 0;
        }
        return n == null ? 0 : queueForSubscribers(n);
    }

    /** Marks the event processed; false when it was already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markProcessed(UUID eventId, String eventType) {
        return em.createNativeQuery("""
                insert into webhook_processed_events (event_id, event_type) values (:id, :t) on conflict do nothing
                """).setParameter("id", eventId).setParameter("t", eventType).executeUpdate() == 1;
    }

    /** One delivery per enabled webhook of the project subscribed to {@code n.type()}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int queueForSubscribers(Notification n) {
        int queued = 0;
        for (Webhook w : webhooks.subscribed(n.project(), n.type())) {
            if (enqueue(w, n) != null) {
                queued++;
            }
        }
        if (queued > 0) {
            LOG.infof("%s %s: %d webhook deliveries queued", n.type(), n.eventId(), queued);
        }
        return queued;
    }

    /** One delivery of {@code n} to {@code w}; null when that webhook already has this event. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID enqueue(Webhook w, Notification n) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        int inserted = em.createNativeQuery("""
                insert into webhook_deliveries (id, webhook_id, project, event_type, event_id, body, state, attempts,
                  next_attempt_at, created_at, updated_at)
                values (:id, :w, :p, :t, :e, :b, 'pending', 0, :now, :now, :now)
                on conflict (webhook_id, event_id) do nothing
                """).setParameter("id", id).setParameter("w", w.id).setParameter("p", w.project)
                .setParameter("t", n.type()).setParameter("e", n.eventId()).setParameter("b", body(w, n))
                .setParameter("now", now).executeUpdate();
        return inserted == 1 ? id : null;
    }

    /** The body in the webhook's format; details are dropped when the whole would exceed the size cap. */
    private String body(Webhook w, Notification n) {
        String body = n.body(w.format, publicUrl);
        if (body.getBytes(StandardCharsets.UTF_8).length <= maxBodyBytes) {
            return body;
        }
        Notification shorter = new Notification(n.type(), n.eventId(), n.occurredAt(), n.project(),
                shorten(n.summary(), 500), n.runId(), n.runName(), n.checkpointId(), n.step(), n.probeRunId(),
                Map.of("truncated", true));
        return shorter.body(w.format, publicUrl);
    }

    static String shorten(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
