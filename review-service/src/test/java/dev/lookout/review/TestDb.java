package dev.lookout.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Direct database access for tests (lease expiry without sleeping, counting kept votes). */
@ApplicationScoped
public class TestDb {

    private final EntityManager em;

    public TestDb(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public int expireLeases(String reviewer, String project) {
        return em.createNativeQuery("""
                        UPDATE reviews.assignments a SET leased_until = now() - interval '1 minute'
                          FROM reviews.items i JOIN reviews.batches b ON b.id = i.batch_id
                         WHERE i.id = a.item_id AND a.reviewer = :r AND b.project = :p AND a.voted_at IS NULL""")
                .setParameter("r", reviewer).setParameter("p", project).executeUpdate();
    }

    @Transactional
    public long votesOf(String reviewer, String project) {
        return ((Number) em.createNativeQuery("""
                        SELECT count(*) FROM reviews.votes v JOIN reviews.items i ON i.id = v.item_id
                          JOIN reviews.batches b ON b.id = i.batch_id WHERE v.reviewer = :r AND b.project = :p""")
                .setParameter("r", reviewer).setParameter("p", project).getSingleResult()).longValue();
    }

    @Transactional
    public long unpublishedOutboxRows() {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM reviews.outbox WHERE published_at IS NULL")
                .getSingleResult()).longValue();
    }

    /** Vote rows of the reviewer in the project that are marked withdrawn. */
    @Transactional
    public long withdrawnVotesOf(String reviewer, String project) {
        return ((Number) em.createNativeQuery("""
                        SELECT count(*) FROM reviews.votes v JOIN reviews.items i ON i.id = v.item_id
                          JOIN reviews.batches b ON b.id = i.batch_id
                         WHERE v.reviewer = :r AND b.project = :p AND v.withdrawn_at IS NOT NULL""")
                .setParameter("r", reviewer).setParameter("p", project).getSingleResult()).longValue();
    }

    /** Every vote row of a batch. */
    @Transactional
    public long votesInBatch(java.util.UUID batchId) {
        return ((Number) em.createNativeQuery("""
                        SELECT count(*) FROM reviews.votes v JOIN reviews.items i ON i.id = v.item_id
                         WHERE i.batch_id = :b""")
                .setParameter("b", batchId).getSingleResult()).longValue();
    }

    /** Votes of a batch stored after it was closed (must stay 0). */
    @Transactional
    public long votesAfterClose(java.util.UUID batchId) {
        return ((Number) em.createNativeQuery("""
                        SELECT count(*) FROM reviews.votes v JOIN reviews.items i ON i.id = v.item_id
                          JOIN reviews.batches b ON b.id = i.batch_id
                         WHERE i.batch_id = :b AND (b.closed_at IS NULL OR v.created_at > b.closed_at)""")
                .setParameter("b", batchId).getSingleResult()).longValue();
    }

    /** The batch a task (assignment) belongs to: the API never tells a reviewer, so tests look it up here. */
    @Transactional
    public String batchOfTask(String taskId) {
        return em.createNativeQuery("""
                        SELECT CAST(i.batch_id AS text) FROM reviews.assignments a JOIN reviews.items i ON i.id = a.item_id
                         WHERE a.id = :t""")
                .setParameter("t", java.util.UUID.fromString(taskId)).getSingleResult().toString();
    }
}
