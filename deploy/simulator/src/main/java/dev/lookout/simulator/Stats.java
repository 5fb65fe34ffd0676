package dev.lookout.simulator;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters: written on the server's event loop, read from any thread. Besides the totals, each model and each
 * API key (the bearer token a client sends; one per probe-runner endpoint) has its own counters, so a test can check
 * one endpoint's concurrency cap while other traffic reaches the same server.
 */
final class Stats {

    /** The counters of one model or one API key. */
    static final class Group {
        private final AtomicLong requests = new AtomicLong();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private final AtomicLong errors500 = new AtomicLong();
        private final AtomicLong hangs = new AtomicLong();

        void arrived() {
            requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }

        void left() {
            inFlight.decrementAndGet();
        }

        void failed() {
            errors500.incrementAndGet();
        }

        void hung() {
            hangs.incrementAndGet();
        }

        void reset() {
            requests.set(0);
            errors500.set(0);
            hangs.set(0);
            maxInFlight.set(inFlight.get());
        }

        SimulatorStats.GroupStats snapshot() {
            return new SimulatorStats.GroupStats(requests.get(), inFlight.get(), maxInFlight.get(), errors500.get(),
                    hangs.get());
        }
    }

    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong rejected429 = new AtomicLong();
    private final AtomicLong errors500 = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final Map<String, Group> byModel = new ConcurrentHashMap<>();
    private final Map<String, Group> byApiKey = new ConcurrentHashMap<>();

    void arrived() {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void left() {
        inFlight.decrementAndGet();
    }

    /** The counters of {@code model}, created on first use. */
    Group model(String model) {
        return byModel.computeIfAbsent(model, m -> new Group());
    }

    /** The counters of the API key {@code key}, created on first use. */
    Group apiKey(String key) {
        return byApiKey.computeIfAbsent(key, k -> new Group());
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
        byModel.values().forEach(Group::reset);
        byApiKey.values().forEach(Group::reset);
    }

    SimulatorStats snapshot() {
        return new SimulatorStats(requests.get(), inFlight.get(), maxInFlight.get(), rejected429.get(),
                errors500.get(), hangs.get(), maxActive.get(), snapshot(byModel), snapshot(byApiKey));
    }

    private static Map<String, SimulatorStats.GroupStats> snapshot(Map<String, Group> groups) {
        Map<String, SimulatorStats.GroupStats> out = new TreeMap<>();
        List.copyOf(groups.entrySet()).forEach(e -> out.put(e.getKey(), e.getValue().snapshot()));
        return out;
    }
}
