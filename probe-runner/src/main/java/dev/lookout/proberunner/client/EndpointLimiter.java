package dev.lookout.proberunner.client;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Per-endpoint concurrency cap for this instance: at most {@code maxConcurrency} calls in flight per endpoint;
 * the rest wait in a FIFO queue (no thread ever blocks). With several instances the cap is per instance; the deep
 * version moves it to per-endpoint queues (single-active-consumer, prefetch = cap).
 */
@ApplicationScoped
public class EndpointLimiter {

    private static final class Gate {
        int inFlight;
        final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    }

    private final Map<UUID, Gate> gates = new ConcurrentHashMap<>();

    public <T> Uni<T> run(UUID endpointId, int maxConcurrency, Supplier<Uni<T>> task) {
        return Uni.createFrom().emitter(emitter -> {
            Gate gate = gates.computeIfAbsent(endpointId, id -> new Gate());
            Runnable start = () -> task.get().subscribe().with(item -> {
                release(gate, maxConcurrency);
                emitter.complete(item);
            }, failure -> {
                release(gate, maxConcurrency);
                emitter.fail(failure);
            });
            boolean now;
            synchronized (gate) {
                now = gate.inFlight < Math.max(1, maxConcurrency);
                if (now) {
                    gate.inFlight++;
                } else {
                    gate.waiting.add(start);
                }
            }
            if (now) {
                start.run();
            }
        });
    }

    private void release(Gate gate, int maxConcurrency) {
        Runnable next = null;
        synchronized (gate) {
            gate.inFlight--;
            if (gate.inFlight < Math.max(1, maxConcurrency) && !gate.waiting.isEmpty()) {
                next = gate.waiting.poll();
                gate.inFlight++;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Calls in flight for an endpoint (metrics, tests). */
    public int inFlight(UUID endpointId) {
        Gate gate = gates.get(endpointId);
        if (gate == null) {
            return 0;
        }
        synchronized (gate) {
            return gate.inFlight;
        }
    }
}
