package dev.lookout.ingest.repository;

import dev.lookout.ingest.entity.OutboxEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    /** Oldest unpublished events, locked for this transaction; rows another relay holds are skipped. */
    @SuppressWarnings("unchecked")
    public List<OutboxEvent> lockUnpublished(int limit) {
        return getEntityManager().createNativeQuery(
                        "select * from ingest.outbox where published_at is null order by created_at, id limit ?1 for update skip locked",
                        OutboxEvent.class)
                .setParameter(1, limit)
                .getResultList();
    }

    public void markPublished(List<UUID> ids, Instant at) {
        update("publishedAt = ?1 where id in ?2", at, ids);
    }
}
