package dev.lookout.simulator;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters: written on the server's event loop, read from any thread. */
final class Stats {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong rejected429 = new AtomicLong();
    private final AtomicLong errors500 = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();

    void arrived() {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void left() {
        inFlight.decrementAndGet();
    }

    void slotTaken() {
        int now = active.incrementAndGet();
        maxActive.accumulateAndGet(now, Math::max);
    }

    void slotFreed() {
        active.decrementAndGet();
    }

    void rejected() {
        rejected429.incrementAndGet();
    }

    void failed() {
        errors500.incrementAndGet();
    }

    void hung() {
        hangs.incrementAndGet();
    }

    /** Zeroes the totals; the peaks restart from what is in flight / active right now. */
    void reset() {
        requests.set(0);
        rejected429.set(0);
        errors500.set(0);
        hangs.set(0);
        maxInFlight.set(inFlight.get());
        maxActive.set(active.get());
    }

    SimulatorStats snapshot() {
        return new SimulatorStats(requests.get(), inFlight.get(), maxInFlight.get(), rejected429.get(),
                errors500.get(), hangs.get(), maxActive.get());
    }
}
