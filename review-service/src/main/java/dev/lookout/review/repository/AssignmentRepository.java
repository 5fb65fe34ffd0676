package dev.lookout.review.repository;

import dev.lookout.review.entity.Assignment;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The review queue. Handing out an item is done in three statements inside one transaction:
 * lock a candidate item (FOR UPDATE SKIP LOCKED), re-count its live slots with a fresh snapshot
 * (READ COMMITTED: we now hold the row lock every assigner takes, so every committed lease is visible),
 * then insert the assignment. See {@code ReviewService#next}.
 */
@ApplicationScoped
public class AssignmentRepository implements PanacheRepositoryBase<Assignment, UUID> {

    /** Serialises concurrent /next calls of the same reviewer (so one caller holds one lease at a time). */
    public void lockReviewer(String reviewer) {
        getEntityManager()
                .createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext(:r))) x")
                .setParameter("r", "reviews.next:" + reviewer)
                .getSingleResult();
    }

    public Optional<Assignment> findOpenLease(String reviewer, String project, Instant now) {
        List<?> ids = getEntityManager().createNativeQuery("""
                        SELECT a.id FROM reviews.assignments a
                          JOIN reviews.items i ON i.id = a.item_id
                          JOIN reviews.batches b ON b.id = i.batch_id
                         WHERE a.reviewer = :r AND a.voted_at IS NULL AND a.leased_until > :now
                           AND b.project = :p AND b.status = 'open'
                         ORDER BY a.created_at, a.id
                         LIMIT 1""")
                .setParameter("r", reviewer).setParameter("p", project).setParameter("now", now)
                .getResultList();
        return ids.isEmpty() ? Optional.empty() : findByIdOptional((UUID) ids.get(0));
    }

    /**
     * Locks the first item of the project's open batches the reviewer has never been given and that has a free slot.
     * Batches in creation order, each walked along {@code items_unfilled_idx} (position order, items whose k slots
     * all hold votes left out), so a call reads the leased-but-unvoted items at the head of the queue and stops at
     * the first free one instead of re-counting every item of the batch.
     */
    public Optional<UUID> lockNextFreeItem(String reviewer, String project, Instant now) {
        List<?> ids = getEntityManager().createNativeQuery("""
                        SELECT x.id
                          FROM (SELECT b.id, b.created_at, b.reviews_per_item FROM reviews.batches b
                                 WHERE b.project = :p AND b.status = 'open'
                                 ORDER BY b.created_at, b.id) b
                          CROSS JOIN LATERAL (
                                SELECT i.id FROM reviews.items i
                                 WHERE i.batch_id = b.id AND NOT i.filled
                                   AND NOT EXISTS (SELECT 1 FROM reviews.assignments a
                                                    WHERE a.item_id = i.id AND a.reviewer = :r)
                                   AND (SELECT count(*) FROM reviews.assignments a
                                         WHERE a.item_id = i.id
                                           AND (a.voted_at IS NOT NULL OR a.leased_until > :now)) < b.reviews_per_item
                                 ORDER BY i.position
                                 LIMIT 1
                                 FOR UPDATE OF i SKIP LOCKED) x
                         ORDER BY b.created_at, b.id
                         LIMIT 1""")
                .setParameter("r", reviewer).setParameter("p", project).setParameter("now", now)
                .getResultList();
        return ids.isEmpty() ? Optional.empty() : Optional.of((UUID) ids.get(0));
    }

    /** Live slots of an item: voted assignments plus unexpired leases. */
    public long countLiveSlots(UUID itemId, Instant now) {
        Number n = (Number) getEntityManager().createNativeQuery("""
                        SELECT count(*) FROM reviews.assignments a
                         WHERE a.item_id = :i AND (a.voted_at IS NOT NULL OR a.leased_until > :now)""")
                .setParameter("i", itemId).setParameter("now", now)
                .getSingleResult();
        return n.longValue();
    }

    public long countVotedInBatch(String reviewer, UUID batchId) {
        // driven by the reviewer's own assignments (assignments_reviewer_idx), not by every item of the batch
        Number n = (Number) getEntityManager().createNativeQuery("""
                        SELECT count(*) FROM reviews.assignments a
                         WHERE a.reviewer = :r AND a.voted_at IS NOT NULL
                           AND EXISTS (SELECT 1 FROM reviews.items i WHERE i.id = a.item_id AND i.batch_id = :b)""")
                .setParameter("b", batchId).setParameter("r", reviewer)
                .getSingleResult();
        return n.longValue();
    }
}
