package dev.lookout.proberunner.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.entity.OutboxEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    /** Locks a batch of unpublished rows; concurrent relays skip them. Call inside a transaction. */
    @SuppressWarnings("unchecked")
    public List<OutboxEvent> lockUnpublished(int limit) {
        return getEntityManager().createNativeQuery("""
                select * from outbox where published_at is null
                order by created_at limit :limit for update skip locked
                """, OutboxEvent.class).setParameter("limit", limit).getResultList();
    }

    public void markPublished(List<UUID> ids) {
        getEntityManager().createNativeQuery("update outbox set published_at = now() where id in (:ids)")
                .setParameter("ids", ids).executeUpdate();
    }
}
