package dev.lookout.proberunner.notify;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.lookout.proberunner.notify.WebhookDtos.DeliveryResponse;

/** Reads the delivery log of a webhook, newest first, keyset-paged by (created_at, id). */
@ApplicationScoped
public class DeliveryLog {

    private final EntityManager em;

    public DeliveryLog(EntityManager em) {
        this.em = em;
    }

    @SuppressWarnings("unchecked")
    public List<DeliveryResponse> page(UUID webhookId, int limit, UUID after) {
        String cursor = after == null ? "" : """
                and (created_at, id) < (select created_at, id from webhook_deliveries
                                        where id = :after and webhook_id = :w)
                """;
        var query = em.createNativeQuery("""
                select id, event_type, event_id, state, attempts, last_status, last_error, created_at, updated_at,
                       next_attempt_at, delivered_at
                from webhook_deliveries where webhook_id = :w
                """ + cursor + " order by created_at desc, id desc limit :limit")
                .setParameter("w", webhookId).setParameter("limit", limit);
        if (after != null) {
            query.setParameter("after", after);
        }
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new DeliveryResponse((UUID) r[0], (String) r[1], (UUID) r[2], (String) r[3],
                ((Number) r[4]).intValue(), r[5] == null ? null : ((Number) r[5]).intValue(), (String) r[6],
                instant(r[7]), instant(r[8]), instant(r[9]), instant(r[10]))).toList();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type");
    }
}
