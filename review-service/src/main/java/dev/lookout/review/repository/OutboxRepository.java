package dev.lookout.review.repository;

import dev.lookout.review.entity.OutboxEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    /** Unpublished rows, oldest first, locked so that concurrent relays (several pods) never send the same batch. */
    @SuppressWarnings("unchecked")
    public List<OutboxEvent> lockUnpublished(int limit) {
        return getEntityManager().createNativeQuery("""
                        SELECT * FROM reviews.outbox WHERE published_at IS NULL
                         ORDER BY created_at, id LIMIT :n FOR UPDATE SKIP LOCKED""", OutboxEvent.class)
                .setParameter("n", limit)
                .getResultList();
    }
}
