package dev.lookout.review.messaging;

import dev.lookout.review.config.ReviewConfig;
import dev.lookout.review.entity.ReviewBatch;
import dev.lookout.review.repository.BatchRepository;
import dev.lookout.review.service.VerdictService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Throttled verdict.updated: at most one event per batch per {@code lookout.review.verdict-throttle}, and the
 * latest state always goes out (through the outbox).
 *
 * <p>Protocol, per batch: a vote's transaction takes a SHARED advisory lock on the batch and reads the batch's
 * emission row. If the row is already pending it does nothing more: the flush takes the EXCLUSIVE advisory lock
 * before it computes the verdict, so it waits for every vote in flight and sees them all. Otherwise the vote locks
 * the row (FOR UPDATE) and re-reads it: still not pending and the window has passed → it writes the event now
 * (its verdict sees every committed vote, and a vote still in flight will find the row not pending and mark it);
 * inside the window → it marks the row pending for the flush. Only the flush clears a pending row, so the common
 * path of a busy batch is one shared lock and one plain read, without contention on the row.
 * Lock order is always advisory lock, then row lock.
 */
@ApplicationScoped
public class VerdictEvents {

    private static final Logger LOG = Logger.getLogger(VerdictEvents.class);
    static final int FLUSH_BATCH = 100;

    private final EntityManager em;
    private final BatchRepository batches;
    private final VerdictService verdicts;
    private final OutboxWriter outbox;
    private final ReviewConfig config;

    public VerdictEvents(EntityManager em, BatchRepository batches, VerdictService verdicts, OutboxWriter outbox,
                         ReviewConfig config) {
        this.em = em;
        this.batches = batches;
        this.verdicts = verdicts;
        this.outbox = outbox;
        this.config = config;
    }

    /** A vote on the batch was stored in the current transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void voted(ReviewBatch batch) {
        advisoryLock(batch.id, true);
        List<?> pending = em.createNativeQuery(
                        "SELECT pending_since FROM reviews.verdict_emissions WHERE batch_id = :b")
                .setParameter("b", batch.id).getResultList();
        if (!pending.isEmpty() && pending.get(0) != null) {
            return; // the flush will send it, after this transaction commits
        }
        em.createNativeQuery("""
                        INSERT INTO reviews.verdict_emissions (batch_id) VALUES (:b)
                        ON CONFLICT (batch_id) DO NOTHING""")
                .setParameter("b", batch.id).executeUpdate();
        Object[] row = (Object[]) em.createNativeQuery("""
                        SELECT pending_since, last_sent_at FROM reviews.verdict_emissions
                         WHERE batch_id = :b FOR UPDATE""")
                .setParameter("b", batch.id).getSingleResult();
        if (row[0] != null) {
            return;
        }
        Instant now = Instant.now();
        Instant last = toInstant(row[1]);
        if (last == null || !last.plus(config.verdictThrottle()).isAfter(now)) {
            send(batch, now);
        } else {
            em.createNativeQuery("UPDATE reviews.verdict_emissions SET pending_since = :now WHERE batch_id = :b")
                    .setParameter("now", now).setParameter("b", batch.id).executeUpdate();
        }
    }

    /** Sends the latest verdict of every pending batch whose throttle window has passed. */
    @Scheduled(every = "${lookout.review.verdict-flush-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        try {
            List<UUID> due = QuarkusTransaction.requiringNew().call(this::due);
            for (UUID batchId : due) {
                QuarkusTransaction.requiringNew().run(() -> flushOne(batchId));
            }
        } catch (RuntimeException e) {
            LOG.warnf("verdict flush failed, will retry (%s)", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    List<UUID> due() {
        return em.createNativeQuery("""
                        SELECT batch_id FROM reviews.verdict_emissions
                         WHERE pending_since IS NOT NULL
                           AND (last_sent_at IS NULL OR last_sent_at <= :cutoff)
                         ORDER BY pending_since LIMIT :n""")
                .setParameter("cutoff", Instant.now().minus(config.verdictThrottle())).setParameter("n", FLUSH_BATCH)
                .getResultList();
    }

    /** Waits for the batch's votes in flight (exclusive lock), re-checks and sends; in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void flushOne(UUID batchId) {
        advisoryLock(batchId, false);
        List<?> rows = em.createNativeQuery("""
                        SELECT batch_id FROM reviews.verdict_emissions
                         WHERE batch_id = :b AND pending_since IS NOT NULL
                           AND (last_sent_at IS NULL OR last_sent_at <= :cutoff)
                           FOR UPDATE""")
                .setParameter("b", batchId).setParameter("cutoff", Instant.now().minus(config.verdictThrottle()))
                .getResultList();
        if (!rows.isEmpty()) {
            send(batches.findById(batchId), Instant.now());
        }
    }

    private void advisoryLock(UUID batchId, boolean shared) {
        em.createNativeQuery("SELECT count(*) FROM (SELECT "
                        + (shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock")
                        + "(hashtext(:k))) x")
                .setParameter("k", "reviews.verdict:" + batchId)
                .getSingleResult();
    }

    private void send(ReviewBatch batch, Instant now) {
        VerdictService.Verdict verdict = verdicts.ofBatch(batch);
        outbox.write(Channels.VERDICT_UPDATED, batch.project, VerdictService.eventFields(verdict));
        em.createNativeQuery("""
                        UPDATE reviews.verdict_emissions SET last_sent_at = :now, pending_since = NULL
                         WHERE batch_id = :b""")
                .setParameter("now", now).setParameter("b", batch.id)
                .executeUpdate();
    }

    private static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type");
    }
}
