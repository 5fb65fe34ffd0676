package dev.lookout.review.messaging;

import dev.lookout.review.config.ReviewConfig;
import dev.lookout.review.repository.BatchRepository;
import dev.lookout.review.repository.StopRepository;
import dev.lookout.review.service.Stopping;
import dev.lookout.review.service.VerdictService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Throttled verdict.updated, computed off the reviewer's request: at most one event per batch per
 * {@code lookout.review.verdict-throttle}, and the latest state always goes out (through the outbox).
 *
 * <p>A vote or a withdrawal appends a row to {@code verdict_dirty} in its own transaction (the vote does it inside
 * its single write statement, see {@code VoteRepository#record}). Every {@code verdict-flush-every} the flush takes,
 * per batch whose window has passed, one transaction: lock the batch's {@code verdict_emissions} row, DELETE its
 * dirty rows, compute the verdict, write the outbox event, stamp {@code last_sent_at}. The DELETE removes only rows
 * committed before it started and the verdict query that follows sees at least those votes; a vote committing later
 * keeps its row, so the next flush sends again. The emission row lock keeps two instances from sending twice.
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
    private final StopRepository stops;

    public VerdictEvents(EntityManager em, BatchRepository batches, VerdictService verdicts, OutboxWriter outbox,
                         ReviewConfig config, StopRepository stops) {
        this.stops = stops;
        this.em = em;
        this.batches = batches;
        this.verdicts = verdicts;
        this.outbox = outbox;
        this.config = config;
    }

    /** The batch's counted votes changed in the current transaction; the flush will send its verdict. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(UUID batchId) {
        em.createNativeQuery("INSERT INTO reviews.verdict_dirty (batch_id) VALUES (:b)")
                .setParameter("b", batchId).executeUpdate();
    }

    /** Sends the latest verdict of every changed batch whose throttle window has passed. */
    @Scheduled(every = "${lookout.review.verdict-flush-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
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
                        SELECT d.batch_id FROM (SELECT DISTINCT batch_id FROM reviews.verdict_dirty) d
                          LEFT JOIN reviews.verdict_emissions e ON e.batch_id = d.batch_id
                         WHERE e.last_sent_at IS NULL OR e.last_sent_at <= :cutoff
                         LIMIT :n""")
                .setParameter("cutoff", Instant.now().minus(config.verdictThrottle())).setParameter("n", FLUSH_BATCH)
                .getResultList();
    }

    /** Sends the batch's verdict if it changed and its window has passed; in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void flushOne(UUID batchId) {
        em.createNativeQuery("""
                        INSERT INTO reviews.verdict_emissions (batch_id) VALUES (:b)
                        ON CONFLICT (batch_id) DO NOTHING""")
                .setParameter("b", batchId).executeUpdate();
        Object last = em.createNativeQuery("""
                        SELECT last_sent_at FROM reviews.verdict_emissions WHERE batch_id = :b FOR UPDATE""")
                .setParameter("b", batchId).getSingleResult();
        Instant now = Instant.now();
        Instant lastSent = toInstant(last);
        if (lastSent != null && lastSent.plus(config.verdictThrottle()).isAfter(now)) {
            return; // another instance sent it meanwhile; the dirty rows stay for the next window
        }
        int changes = em.createNativeQuery("DELETE FROM reviews.verdict_dirty WHERE batch_id = :b")
                .setParameter("b", batchId).executeUpdate();
        if (changes == 0) {
            return;
        }
        var batch = batches.findById(batchId);
        VerdictService.Verdict verdict = verdicts.ofBatch(batch);
        if (verdict.stopping() != null && verdict.stopped() == null) {
            // a vote checks too, but two concurrent votes can both miss the stop: the flush sees every committed vote
            Stopping.check(verdict.stopping(), verdict.tally(), now).ifPresent(stop -> stops.stop(batchId, stop));
        }
        outbox.append(EventTypes.VERDICT_UPDATED, batch.project, VerdictService.eventFields(verdict));
        em.createNativeQuery("UPDATE reviews.verdict_emissions SET last_sent_at = :now WHERE batch_id = :b")
                .setParameter("now", now).setParameter("b", batchId)
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
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type");
    }
}
