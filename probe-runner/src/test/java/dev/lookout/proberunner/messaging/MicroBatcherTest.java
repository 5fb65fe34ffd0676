package dev.lookout.proberunner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Group commit without a timer: an idle batcher handles one item alone; items queued meanwhile form the next batch. */
class MicroBatcherTest {

    @Test
    void shouldHandleALoneItemAtOnceAndBatchWhatQueuesMeanwhile() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<List<Integer>> batches = new CopyOnWriteArrayList<>();
            CountDownLatch firstStarted = new CountDownLatch(1);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            CountDownLatch all = new CountDownLatch(11);
            MicroBatcher<Integer> batcher = new MicroBatcher<>("test", 4, executor, batch -> {
                batches.add(List.copyOf(batch));
                if (batches.size() == 1) {
                    firstStarted.countDown();
                    await(releaseFirst);
                }
                batch.forEach(i -> all.countDown());
            });
            batcher.submit(0);
            assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
            assertEquals(List.of(0), batches.get(0)); // nothing waited for company
            for (int i = 1; i <= 10; i++) {
                batcher.submit(i); // the first batch is still being "written"
            }
            releaseFirst.countDown();
            assertTrue(all.await(10, TimeUnit.SECONDS));
            // the ten queued items went in batches of at most 4, in order, with one drain at a time
            assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10)), batches);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldKeepDrainingAfterAFailingBatch() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch handled = new CountDownLatch(2);
            MicroBatcher<Integer> batcher = new MicroBatcher<>("test", 1, executor, batch -> {
                handled.countDown();
                if (batch.get(0) == 1) {
                    throw new IllegalStateException("boom");
                }
            });
            batcher.submit(1);
            batcher.submit(2);
            assertTrue(handled.await(10, TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
