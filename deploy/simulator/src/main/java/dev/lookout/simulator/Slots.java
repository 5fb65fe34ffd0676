package dev.lookout.simulator;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.IntSupplier;

/**
 * Like llama.cpp's slots: at most {@code maxConcurrent} calls are processed at once, the others wait in a FIFO
 * queue (never rejected). A call that finishes or whose client disconnects frees its slot. Event loop only.
 */
final class Slots {

    private record Waiter(Call call, Runnable start) {
    }

    private final IntSupplier limit;
    private final Stats stats;
    private final Queue<Waiter> queue = new ArrayDeque<>();
    private int busy;
    private boolean draining;

    Slots(IntSupplier limit, Stats stats) {
        this.limit = limit;
        this.stats = stats;
    }

    /** Runs {@code start} once the call holds a slot; the slot is given back when the call finishes. */
    void acquire(Call call, Runnable start) {
        queue.add(new Waiter(call, start));
        drain();
    }

    /** Starts waiting calls while slots are free (also after {@code maxConcurrent} was raised). */
    void drain() {
        if (draining) {
            return; // a call finished synchronously inside start(): the loop below carries on
        }
        draining = true;
        try {
            while (!queue.isEmpty() && hasRoom()) {
                Waiter next = queue.poll();
                if (!next.call().isDone()) {
                    take(next);
                }
            }
        } finally {
            draining = false;
        }
    }

    private void take(Waiter waiter) {
        busy++;
        stats.slotTaken();
        waiter.call().onFinish(this::release);
        waiter.start().run();
    }

    private void release() {
        busy--;
        stats.slotFreed();
        drain();
    }

    private boolean hasRoom() {
        int max = limit.getAsInt();
        return max == 0 || busy < max;
    }
}
