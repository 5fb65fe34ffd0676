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
}
