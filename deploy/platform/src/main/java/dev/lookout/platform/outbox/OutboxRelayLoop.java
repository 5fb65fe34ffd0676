package dev.lookout.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay algorithm every service runs over its outbox: claim a batch ({@link OutboxStore}, rows locked
 * {@code FOR UPDATE SKIP LOCKED}), publish every row in order ({@link OutboxSink}), wait for all publisher confirms,
 * and only then mark the batch published and commit. A failure before the commit leaves the rows unpublished for the
 * next round, so no committed event is lost; a crash after the confirms and before the commit re-sends the batch, so
 * delivery is at least once and consumers deduplicate on the message id (the eventId).
 * <p>
 * Services call {@link #drain()} from a scheduler and may {@link #trigger(Executor)} it right after a commit; one drain
 * runs at a time per loop, and a trigger during a drain makes it go round once more.
 */
public final class OutboxRelayLoop {

    private static final Logger LOG = Logger.getLogger(OutboxRelayLoop.class.getName());

    /** Batch size, confirm timeout and an optional hook run after the confirms and before the mark. */
    public record Options(int batchSize, Duration confirmTimeout, IntConsumer afterConfirm) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be 1 or more, got " + batchSize);
            }
            Objects.requireNonNull(confirmTimeout, "confirmTimeout");
            Objects.requireNonNull(afterConfirm, "afterConfirm");
        }

        public static Options of(int batchSize, Duration confirmTimeout) {
            return new Options(batchSize, confirmTimeout, n -> { });
        }

        /**
         * Runs {@code hook} with the batch size once a batch is confirmed, before it is marked published (probe-runner's
         * test-only failpoint halts the JVM there).
         */
        public Options afterConfirm(IntConsumer hook) {
            return new Options(batchSize, confirmTimeout, hook);
        }
    }

    private final OutboxStore store;
    private final OutboxSink sink;
    private final Options options;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public OutboxRelayLoop(OutboxStore store, OutboxSink sink, Options options) {
        this.store = store;
        this.sink = sink;
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Publishes one batch and waits for its confirms.
     *
     * @return how many rows were published (0: nothing was pending or claimable)
     * @throws IllegalStateException if a publish failed or was not confirmed in time; the batch stays unpublished
     */
    public int relayBatch() {
        try (OutboxStore.Claim claim = store.claim(options.batchSize())) {
            List<OutboxMessage> messages = claim.messages();
            if (messages.isEmpty()) {
                return 0;
            }
            CompletableFuture<?>[] confirms = new CompletableFuture<?>[messages.size()];
            for (int i = 0; i < confirms.length; i++) {
                confirms[i] = sink.publish(messages.get(i)).toCompletableFuture();
            }
            awaitAll(confirms);
            options.afterConfirm().accept(messages.size());
            claim.markPublished();
            return messages.size();
        }
    }

    /**
     * Publishes batches until one is not full, and again if triggered meanwhile. A failure is logged and ends the
     * drain (the rows wait for the next one). Returns at once when another drain is running, which then goes round
     * once more.
     */
    public void drain() {
        do {
            if (!draining.compareAndSet(false, true)) {
                again.set(true);
                return;
            }
            try {
                do {
                    again.set(false);
                    while (relayBatch() == options.batchSize()) {
                        LOG.fine("outbox: full batch published, continuing");
                    }
                } while (again.get());
            } catch (RuntimeException e) {
                again.set(false); // the broker or the database is unhappy: leave it to the next drain
                LOG.log(Level.WARNING, "outbox relay: publishing failed, will retry: {0}", e.getMessage());
            } finally {
                draining.set(false);
            }
        } while (again.get()); // a trigger raced with the end of this drain
    }

    /** Asks for a drain on {@code executor}, e.g. after a commit that wrote outbox rows. */
    public void trigger(Executor executor) {
        again.set(true);
        if (!draining.get()) {
            executor.execute(this::drain);
        }
    }

    /** Waits for every confirm, failing as soon as one fails. */
    private void awaitAll(CompletableFuture<?>[] confirms) {
        CompletableFuture<Void> failed = new CompletableFuture<>();
        for (CompletableFuture<?> confirm : confirms) {
            confirm.whenComplete((ok, e) -> {
                if (e != null) {
                    failed.completeExceptionally(e);
                }
            });
        }
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(confirms), failed)
                    .get(options.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("publish not confirmed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no publisher confirm within " + options.confirmTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for publisher confirms", e);
        }
    }
}
