package dev.lookout.proberunner.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lookout.proberunner.entity.OutboxEvent;
import dev.lookout.proberunner.repository.OutboxRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

/**
 * Publishes outbox rows (events → probe-runner.events, calls → probe-runner.work) with publisher confirms, then
 * marks them published. Rows are locked FOR UPDATE SKIP LOCKED, so several instances never send the same batch;
 * a crash between confirm and commit re-sends (consumers dedupe).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 500;

    private final OutboxRepository outbox;
    private final Publisher publisher;
    /** One drain at a time per instance; a trigger during a drain makes it go round once more. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public OutboxRelay(OutboxRepository outbox, Publisher publisher) {
        this.outbox = outbox;
        this.publisher = publisher;
    }

    /** Safety sweep (the scheduler's resolution is 1 s); most rows go out through {@link #trigger()}. */
    @Scheduled(every = "${lookout.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void relay() {
        drain();
    }

    /** Called after a transaction that wrote outbox rows commits: publish now, on a worker thread. */
    public void trigger() {
        again.set(true);
        if (!draining.get()) {
            Infrastructure.getDefaultWorkerPool().execute(this::drain);
        }
    }

    void drain() {
        if (!draining.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                int sent;
                do {
                    sent = QuarkusTransaction.requiringNew().call(this::relayBatch);
                } while (sent == BATCH);
            } while (again.get());
        } catch (RuntimeException e) {
            again.set(false); // the broker or DB is unhappy: leave it to the next sweep
            LOG.warnf("outbox relay: publishing failed, will retry: %s", e.getMessage());
        } finally {
            draining.set(false);
        }
        if (again.get()) {
            trigger(); // a commit raced with the end of this drain
        }
    }

    int relayBatch() {
        List<OutboxEvent> rows = outbox.lockUnpublished(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        List<Uni<Void>> confirms = new ArrayList<>(rows.size());
        List<UUID> ids = new ArrayList<>(rows.size());
        for (OutboxEvent row : rows) {
            confirms.add(publisher.publish(row.destination, row.eventType, row.id.toString(),
                    new JsonObject(row.payload)));
            ids.add(row.id);
        }
        Uni.join().all(confirms).andFailFast().await().atMost(Duration.ofSeconds(30));
        outbox.markPublished(ids);
        return rows.size();
    }
}
