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

    /**
     * After the current transaction set an assignment's first vote: marks the item filled once votes hold all its
     * slots, so /next stops looking at it. Takes the item's row lock first, then counts in a new statement (fresh
     * READ COMMITTED snapshot), so of two concurrent voters the later one sees both votes. Only ever a pre-filter.
     */
    public void markFilledIfFull(UUID itemId, int reviewsPerItem) {
        getEntityManager().createNativeQuery("SELECT id FROM reviews.items WHERE id = :i FOR NO KEY UPDATE")
                .setParameter("i", itemId).getResultList();
        getEntityManager().createNativeQuery("""
                        UPDATE reviews.items SET filled = true
                         WHERE id = :i AND NOT filled
                           AND (SELECT count(*) FROM reviews.assignments a
                                 WHERE a.item_id = :i AND a.voted_at IS NOT NULL) >= :k""")
                .setParameter("i", itemId).setParameter("k", reviewsPerItem).executeUpdate();
    }

    public long countControls(UUID batchId) {
        return count("batchId = ?1 and control = true", batchId);
    }
}
