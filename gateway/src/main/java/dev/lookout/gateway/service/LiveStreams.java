package dev.lookout.gateway.service;

import dev.lookout.gateway.config.LiveConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the open {@code /api/live} streams per user on this gateway instance, so one user cannot hold an unbounded
 * number of connections (and broker fan-out) open.
 */
@ApplicationScoped
public class LiveStreams {

    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
    private final int limit;

    public LiveStreams(LiveConfig config) {
        this.limit = config.maxConnectionsPerUser();
    }

    /**
     * Takes one of the user's slots.
     *
     * @return releases the slot; safe to call more than once
     * @throws TooManyLiveStreamsException when the user holds every slot already
     */
    public Runnable acquire(String user) {
        boolean[] taken = new boolean[1];
        open.compute(user, (key, count) -> {
            int current = count == null ? 0 : count;
            taken[0] = current < limit;
            return taken[0] ? current + 1 : count;
        });
        if (!taken[0]) {
            throw new TooManyLiveStreamsException(limit);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(user, (key, count) -> count <= 1 ? null : count - 1);
            }
        };
    }

    /** Streams the user holds open now. */
    public int openFor(String user) {
        return open.getOrDefault(user, 0);
    }
}
