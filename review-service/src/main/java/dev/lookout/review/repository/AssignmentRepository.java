package dev.lookout.review.repository;

import dev.lookout.review.entity.Assignment;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The review queue. Handing out an item is two statements inside one transaction: lock a candidate item
 * (FOR UPDATE SKIP LOCKED, {@code ItemRepository#lockNextFree}), then re-count its live slots and insert the
 * assignment in one statement with a fresh snapshot (READ COMMITTED: we now hold the row lock every assigner takes,
 * so every committed lease is visible). See {@code ReviewService#next}.
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

    /**
     * The reviewer's oldest unexpired, unvoted, unskipped lease in the project's open batches that have not stopped
     * (in the pinned run, when {@code runId} is given).
     */
    public Optional<Assignment> findOpenLease(String reviewer, String project, UUID runId, Instant now) {
        jakarta.persistence.Query query = getEntityManager().createNativeQuery("""
                        SELECT a.* FROM reviews.assignments a
                          JOIN reviews.items i ON i.id = a.item_id
                          JOIN reviews.batches b ON b.id = i.batch_id
                         WHERE a.reviewer = :r AND a.voted_at IS NULL AND a.skipped_at IS NULL
                           AND a.leased_until > :now
                           AND b.project = :p AND b.status = 'open'
                           AND NOT EXISTS (SELECT 1 FROM reviews.batch_stops s WHERE s.batch_id = b.id)"""
                        + (runId == null ? "" : " AND b.run_id = :run") + """

                         ORDER BY a.created_at, a.id
                         LIMIT 1""", Assignment.class)
                .setParameter("r", reviewer).setParameter("p", project).setParameter("now", now);
        if (runId != null) {
            query.setParameter("run", runId);
        }
        List<?> found = query.getResultList();
        return found.isEmpty() ? Optional.empty() : Optional.of((Assignment) found.get(0));
    }

    /**
     * Inserts the lease if the item (whose row lock the caller holds, see {@code ItemRepository#lockNextFree}) still
     * has fewer than k live slots. One statement, so the re-count runs on a fresh READ COMMITTED snapshot taken after
     * the lock: every lease committed by an earlier holder of the lock is counted. Returns the reviewer's progress in
     * the item's batch (tasks voted) in the same round trip; empty when the item is full.
     */
    public OptionalLong claim(Assignment lease, UUID batchId, int reviewsPerItem) {
        List<?> progress = getEntityManager().createNativeQuery("""
                        INSERT INTO reviews.assignments (id, item_id, reviewer, leased_until, created_at)
                        SELECT :id, :i, :r, :until, :now
                         WHERE (SELECT count(*) FROM reviews.assignments a
                                 WHERE a.item_id = :i AND (a.voted_at IS NOT NULL OR a.leased_until > :now)) < :k
                        RETURNING (""" + VOTED_IN_BATCH + ")")
                .setParameter("id", lease.id).setParameter("i", lease.itemId).setParameter("r", lease.reviewer)
                .setParameter("until", lease.leasedUntil).setParameter("now", lease.createdAt)
                .setParameter("k", reviewsPerItem).setParameter("b", batchId)
                .getResultList();
        return progress.isEmpty() ? OptionalLong.empty() : OptionalLong.of(((Number) progress.get(0)).longValue());
    }

    /** What a vote or a withdrawal needs to know about the task, read under its locks. */
    public record Locked(UUID itemId, UUID batchId, String project, String status, int reviewsPerItem,
                         Instant votedAt, Instant leasedUntil, Instant skippedAt, boolean stopWhenDecided,
                         Integer maxVotes) {
    }

    /**
     * Locks the reviewer's task (assignment and item FOR NO KEY UPDATE, batch FOR SHARE) in one statement and reads
     * it. The item lock is the one /next's pick takes, so a first vote and a hand-out of the same item never
     * interleave; a close (batch FOR UPDATE) waits for the votes holding the share lock and they wait for it, after
     * which READ COMMITTED re-reads the batch row and sees it closed. Empty when it is not the reviewer's task.
     */
    public Optional<Locked> lockForVote(UUID taskId, String reviewer) {
        List<?> rows = getEntityManager().createNativeQuery("""
                        SELECT a.item_id, i.batch_id, b.project, b.status, b.reviews_per_item, a.voted_at,
                               a.leased_until, a.skipped_at, b.stop_when_decided, b.max_votes
                          FROM reviews.assignments a
                          JOIN reviews.items i ON i.id = a.item_id
                          JOIN reviews.batches b ON b.id = i.batch_id
                         WHERE a.id = :t AND a.reviewer = :r
                           FOR NO KEY UPDATE OF a, i
                           FOR SHARE OF b""")
                .setParameter("t", taskId).setParameter("r", reviewer)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Locked((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3],
                ((Number) r[4]).intValue(), instant(r[5]), instant(r[6]), instant(r[7]), (Boolean) r[8],
                r[9] == null ? null : ((Number) r[9]).intValue()));
    }

    /** Live slots of an item held by other assignments than this one. */
    public long countLiveSlotsOfOthers(UUID itemId, UUID assignmentId, Instant now) {
        Number n = (Number) getEntityManager().createNativeQuery("""
                        SELECT count(*) FROM reviews.assignments a
                         WHERE a.item_id = :i AND a.id <> :a AND (a.voted_at IS NOT NULL OR a.leased_until > :now)""")
                .setParameter("i", itemId).setParameter("a", assignmentId).setParameter("now", now)
                .getSingleResult();
        return n.longValue();
    }

    /** Tasks of reviewer :r voted in batch :b; driven by the reviewer's own assignments, not every item of the batch. */
    private static final String VOTED_IN_BATCH = """
            SELECT count(*) FROM reviews.assignments v
             WHERE v.reviewer = :r AND v.voted_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM reviews.items vi WHERE vi.id = v.item_id AND vi.batch_id = :b)""";

    public long countVotedInBatch(String reviewer, UUID batchId) {
        Number n = (Number) getEntityManager().createNativeQuery(VOTED_IN_BATCH)
                .setParameter("b", batchId).setParameter("r", reviewer)
                .getSingleResult();
        return n.longValue();
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getSimpleName());
    }
}
