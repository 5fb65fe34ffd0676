package dev.lookout.review.repository;

import dev.lookout.review.entity.ReviewItem;
import dev.lookout.review.service.Target;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import org.hibernate.jpa.HibernateHints;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class ItemRepository implements PanacheRepositoryBase<ReviewItem, UUID> {

    public long countByBatch(UUID batchId) {
        return count("batchId", batchId);
    }

    /**
     * Locks and returns the first item of the project's open, not stopped batches the reviewer has never been given
     * (a skipped item included) and that has a free slot (read-only entity: no dirty-checking snapshot of its JSON).
     * Newest work first: runs by their latest batch (newest first), within a run the highest step first, then the
     * newest batch; a batch without a run is a run of its own. {@code runId} pins the queue to one run. Each batch is
     * walked along {@code items_unfilled_idx} (position order: changed answers first); the batches come out
     * of the subquery already in queue order, so the nested loop stops at the first batch with a free item and locks
     * only that item. A first vote on the item takes the same row lock; the caller re-counts under it
     * ({@code AssignmentRepository#claim}).
     */
    public Optional<ReviewItem> lockNextFree(String reviewer, String project, UUID runId, Instant now) {
        jakarta.persistence.Query query = getEntityManager().createNativeQuery("""
                        SELECT x.*
                          FROM (SELECT b.id, b.reviews_per_item, b.step, b.created_at,
                                       max(b.created_at) OVER (PARTITION BY coalesce(b.run_id, b.id)) AS run_latest
                                  FROM reviews.batches b
                                 WHERE b.project = :p AND b.status = 'open'
                                   AND NOT EXISTS (SELECT 1 FROM reviews.batch_stops s WHERE s.batch_id = b.id)"""
                        + (runId == null ? "" : " AND b.run_id = :run") + """

                                 ORDER BY run_latest DESC, b.step DESC NULLS LAST, b.created_at DESC, b.id) b
                          CROSS JOIN LATERAL (
                                SELECT i.* FROM reviews.items i
                                 WHERE i.batch_id = b.id AND NOT i.filled
                                   AND NOT EXISTS (SELECT 1 FROM reviews.assignments a
                                                    WHERE a.item_id = i.id AND a.reviewer = :r)
                                   AND (SELECT count(*) FROM reviews.assignments a
                                         WHERE a.item_id = i.id
                                           AND (a.voted_at IS NOT NULL OR a.leased_until > :now)) < b.reviews_per_item
                                 ORDER BY i.position
                                 LIMIT 1
                                 FOR UPDATE OF i SKIP LOCKED) x
                         ORDER BY b.run_latest DESC, b.step DESC NULLS LAST, b.created_at DESC, b.id
                         LIMIT 1""", ReviewItem.class)
                .setParameter("r", reviewer).setParameter("p", project).setParameter("now", now)
                .setHint(HibernateHints.HINT_READ_ONLY, true);
        if (runId != null) {
            query.setParameter("run", runId);
        }
        List<?> found = query.getResultList();
        return found.isEmpty() ? Optional.empty() : Optional.of((ReviewItem) found.get(0));
    }

    /**
     * What earlier batches of the project, suite version and pair already queued: probe id plus both snapshot texts
     * (candidate, baseline). Per run: with a run id only that run's batches count (another run that reuses the model
     * names gets its own batch); without one (batches by targets) every batch of the pair counts.
     */
    public Set<List<String>> queuedSnapshots(String project, UUID suiteVersionId, Target candidate, Target baseline,
                                             UUID runId) {
        jakarta.persistence.Query query = getEntityManager().createNativeQuery("""
                        SELECT i.probe_id,
                               CASE WHEN i.candidate_side = 'A' THEN i.text_a ELSE i.text_b END,
                               CASE WHEN i.candidate_side = 'A' THEN i.text_b ELSE i.text_a END
                          FROM reviews.items i JOIN reviews.batches b ON b.id = i.batch_id
                         WHERE b.project = :p AND b.suite_version_id = :s
                           AND b.candidate_endpoint = :ce AND b.candidate_model = :cm
                           AND b.baseline_endpoint = :be AND b.baseline_model = :bm"""
                        + (runId == null ? "" : " AND b.run_id = :run"))
                .setParameter("p", project).setParameter("s", suiteVersionId)
                .setParameter("ce", candidate.endpoint()).setParameter("cm", candidate.model())
                .setParameter("be", baseline.endpoint()).setParameter("bm", baseline.model());
        if (runId != null) {
            query.setParameter("run", runId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        Set<List<String>> keys = new HashSet<>();
        for (Object[] row : rows) {
            keys.add(List.of((String) row[0], (String) row[1], (String) row[2]));
        }
        return keys;
    }

    /** A withdrawal turned a vote back into a lease: the item may need a reviewer again once that lease expires. */
    public void markUnfilled(UUID itemId) {
        getEntityManager().createNativeQuery("UPDATE reviews.items SET filled = false WHERE id = :i AND filled")
                .setParameter("i", itemId).executeUpdate();
    }

    public long countControls(UUID batchId) {
        return count("batchId = ?1 and control = true", batchId);
    }
}
