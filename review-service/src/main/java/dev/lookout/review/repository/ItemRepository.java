package dev.lookout.review.repository;

import dev.lookout.review.entity.ReviewItem;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class ItemRepository implements PanacheRepositoryBase<ReviewItem, UUID> {

    public long countByBatch(UUID batchId) {
        return count("batchId", batchId);
    }

    public long countControls(UUID batchId) {
        return count("batchId = ?1 and control = true", batchId);
    }
}
