package dev.lookout.proberunner.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Group commit without a timer: items are queued; when no drain is running one is started on the executor (a worker
 * thread, never the event loop) and takes everything queued, up to {@code maxBatch} at a time, until the queue is
 * empty. An item that arrives while the pipeline is idle is handled at once (never delayed to wait for company);
 * items that arrive while a batch is being written form the next batch. At most one drain runs at a time.
 */
public final class MicroBatcher<T> {

    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    private final String name;
    private final int maxBatch;
    private final Executor executor;
    private final Consumer<List<T>> handler;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** {@code handler} must deal with every item of the list itself, failures included (it is never retried). */
    public MicroBatcher(String name, int maxBatch, Executor executor, Consumer<List<T>> handler) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.executor = executor;
        this.handler = handler;
    }

    public void submit(T item) {
        queue.add(item);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (true) {
                List<T> batch = new ArrayList<>(Math.min(maxBatch, 64));
                T item;
                while (batch.size() < maxBatch && (item = queue.poll()) != null) {
                    batch.add(item);
                }
                if (batch.isEmpty()) {
                    break;
                }
                try {
                    handler.accept(batch);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "%s: batch handler failed", name);
                }
            }
        } finally {
            draining.set(false);
        }
        // an item queued between the last poll and the reset above must not wait for the next submit
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }
}
