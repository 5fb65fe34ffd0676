package dev.lookout.proberunner.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.repository.SlotTable;
import dev.lookout.proberunner.repository.SlotTable.Lease;
import dev.lookout.proberunner.repository.SlotTable.SlotRef;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Per-endpoint concurrency cap that holds across instances. Each endpoint has {@code maxConcurrency} rows in
 * {@code endpoint_slots}; this instance (a random id per start) may only have a call in flight on a slot it holds
 * with a lease that outlives the call. The local gate is a FIFO of waiting calls and the slots held: a call starts
 * at once on an idle held slot (no database round trip per call); only when none is free and calls wait, slots are
 * leased in bulk ({@link SlotTable#acquire}, on a worker thread; retried every {@code slot-acquire-retry} while
 * calls wait and fewer than the cap are held). A timer renews every lease held ({@code slot-renew-interval}, one
 * statement) and gives back slots idle for {@code slot-idle-release} when nothing waits, so other instances can take
 * them. A crashed instance's slots come back when their leases expire. An instance whose calls wait while others
 * hold the slots asks them for its share ({@link SlotTable#ask}); a holder sees the ask at its next renewal and gives
 * the slot back after the call on it ends, so two busy instances split the cap instead of one starving.
 *
 * <p>Lease length per endpoint = {@code slot-lease} + the longest call budget seen (timeout + 1 s hard stop per
 * turn, + 1 s grace): a call starts only on a slot whose lease (as seen locally, measured from before the statement
 * was sent, so never later than the database's) still covers its whole budget, so even if every renewal fails a
 * call ends before another instance can take its slot. No thread ever blocks; no event loop runs JDBC.
 */
@ApplicationScoped
public class EndpointLimiter {

    private static final Logger LOG = Logger.getLogger(EndpointLimiter.class);
    private static final long MS = 1_000_000L;

    /** Lease timings (milliseconds). */
    public record Settings(long leaseMs, long renewIntervalMs, long idleReleaseMs, long acquireRetryMs) {
        static Settings from(ProbeRunnerConfig config) {
            ProbeRunnerConfig.Calls c = config.calls();
            return new Settings(c.slotLease().toMillis(), c.slotRenewInterval().toMillis(),
                    c.slotIdleRelease().toMillis(), c.slotAcquireRetry().toMillis());
        }
    }

    private static final class Slot {
        final int no;
        /** System.nanoTime() by which the lease ends (never later than the database's lease_until). */
        long deadline;
        /** System.nanoTime() when the statement that set the deadline was sent. */
        long leasedAt;
        long lastUsed;
        boolean busy;
        /** No longer held (lowered cap, or taken over): dropped when its call ends. */
        boolean lost;
        /** Asked for by another instance: given back when its call ends. */
        boolean handOff;

        Slot(int no) {
            this.no = no;
        }
    }

    private record Waiter(long budgetNanos, java.util.function.Consumer<Slot> start) {
    }

    private static final class Gate {
        final UUID endpointId;
        int cap;
        long maxBudgetMs;
        final Map<Integer, Slot> held = new HashMap<>();
        /** Held slots without a call, most recently used first (so the least used ones go idle and are released). */
        final ArrayDeque<Slot> idle = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
        int inFlight;
        boolean acquiring;
        boolean retryScheduled;
        long nextAcquire;

        Gate(UUID endpointId) {
            this.endpointId = endpointId;
        }
    }

    private final Vertx vertx;
    private final SlotTable table;
    private final Settings settings;
    private final String instanceId;
    private final Executor blocking;
    private final Map<UUID, Gate> gates = new ConcurrentHashMap<>();
    private final long renewTimer;
    private volatile boolean renewing;
    private volatile boolean closed;

    @Inject
    public EndpointLimiter(Vertx vertx, SlotTable table, ProbeRunnerConfig config) {
        this(vertx, table, Settings.from(config), "probe-runner-" + UUID.randomUUID(),
                Infrastructure.getDefaultWorkerPool());
    }

    public EndpointLimiter(Vertx vertx, SlotTable table, Settings settings, String instanceId, Executor blocking) {
        this.vertx = vertx;
        this.table = table;
        this.settings = settings;
        this.instanceId = instanceId;
        this.blocking = blocking;
        this.renewTimer = vertx.setPeriodic(settings.renewIntervalMs(), id -> renewSoon());
    }

    /** This instance's holder id in {@code endpoint_slots}. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Runs {@code task} once this instance holds a slot of the endpoint whose lease covers {@code budgetMs} (the
     * longest the task can take). FIFO per endpoint; nothing blocks.
     */
    public <T> Uni<T> run(UUID endpointId, int maxConcurrency, long budgetMs, Supplier<Uni<T>> task) {
        return Uni.createFrom().emitter(emitter -> {
            Gate gate = gates.computeIfAbsent(endpointId, Gate::new);
            Waiter waiter = new Waiter(budgetMs * MS, slot -> {
                Uni<T> uni;
                try {
                    uni = task.get();
                } catch (RuntimeException e) {
                    done(gate, slot);
                    emitter.fail(e);
                    return;
                }
                uni.subscribe().with(item -> {
                    done(gate, slot);
                    emitter.complete(item);
                }, failure -> {
                    done(gate, slot);
                    emitter.fail(failure);
                });
            });
            synchronized (gate) {
                if (gate.cap == 0) {
                    // a hint until the table answers (the context may predate a cap change)
                    gate.cap = Math.max(1, maxConcurrency);
                }
                gate.maxBudgetMs = Math.max(gate.maxBudgetMs, budgetMs);
                gate.waiting.add(waiter);
            }
            dispatch(gate);
        });
    }

    private void done(Gate gate, Slot slot) {
        synchronized (gate) {
            gate.inFlight--;
            slot.busy = false;
            slot.lastUsed = System.nanoTime();
            if ((closed || slot.handOff) && !slot.lost) {
                // shutting down, or another instance asked for it: the slot goes back as soon as its call ends
                gate.held.remove(slot.no);
                slot.lost = true;
                SlotRef ref = new SlotRef(gate.endpointId, slot.no);
                blocking.execute(() -> releaseQuietly(List.of(ref)));
            } else if (!slot.lost) {
                gate.idle.push(slot);
            }
        }
        dispatch(gate);
    }

    private void releaseQuietly(List<SlotRef> slots) {
        try {
            table.release(instanceId, slots);
        } catch (RuntimeException e) {
            LOG.infof("releasing %d slot(s) failed (their leases will expire): %s", slots.size(), e.getMessage());
        }
    }

    /** Starts waiting calls on usable idle slots; leases more (off the event loop) when calls still wait. */
    private void dispatch(Gate gate) {
        List<Runnable> starts = new ArrayList<>();
        boolean acquire = false;
        boolean retry = false;
        int wanted = 0;
        long leaseMs = 0;
        synchronized (gate) {
            long now = System.nanoTime();
            while (!gate.waiting.isEmpty()) {
                Waiter w = gate.waiting.peek();
                Slot slot = takeUsable(gate, now, w.budgetNanos());
                if (slot == null) {
                    break;
                }
                gate.waiting.poll();
                slot.busy = true;
                gate.inFlight++;
                starts.add(() -> w.start().accept(slot));
            }
            // fewer slots than the cap: lease more now, or once the retry delay is over. At the cap, calls wait
            // for a slot of their own (done) or for the renewal (a raised cap, leases extended).
            if (!gate.waiting.isEmpty() && !gate.acquiring && !closed && gate.held.size() < gate.cap) {
                if (now - gate.nextAcquire >= 0) {
                    gate.acquiring = true;
                    acquire = true;
                    wanted = gate.waiting.size();
                    leaseMs = leaseMs(gate);
                } else if (!gate.retryScheduled) {
                    gate.retryScheduled = true;
                    retry = true;
                }
            }
        }
        starts.forEach(Runnable::run);
        if (acquire) {
            int want = wanted;
            long lease = leaseMs;
            blocking.execute(() -> acquire(gate, want, lease));
        }
        if (retry) {
            vertx.setTimer(settings.acquireRetryMs(), id -> {
                synchronized (gate) {
                    gate.retryScheduled = false;
                }
                dispatch(gate);
            });
        }
    }

    private static Slot takeUsable(Gate gate, long now, long budgetNanos) {
        for (Iterator<Slot> it = gate.idle.iterator(); it.hasNext();) {
            Slot slot = it.next();
            if (slot.deadline - now >= budgetNanos) {
                it.remove();
                return slot;
            }
        }
        return null;
    }

    /** An ask outlives the holder's next renewal and the asker's next retry. */
    private long askMs() {
        return 2 * settings.renewIntervalMs() + 2 * settings.acquireRetryMs();
    }

    private long leaseMs(Gate gate) {
        return settings.leaseMs() + gate.maxBudgetMs;
    }

    /** Worker thread. */
    private void acquire(Gate gate, int wanted, long leaseMs) {
        long sent = System.nanoTime();
        List<Lease> got;
        try {
            got = table.acquire(gate.endpointId, instanceId, wanted, leaseMs);
        } catch (RuntimeException e) {
            LOG.warnf("endpoint %s: %s", gate.endpointId, e.getMessage());
            got = null;
        }
        if (got != null && got.size() < wanted) {
            int held;
            int cap;
            synchronized (gate) {
                held = gate.held.size() + got.size();
                cap = got.isEmpty() ? gate.cap : got.get(0).cap();
            }
            if (held < cap) {
                // other instances hold the rest: ask them for up to a fair share (kept alive while calls wait)
                try {
                    table.ask(gate.endpointId, instanceId, wanted - got.size(), askMs());
                } catch (RuntimeException e) {
                    LOG.warnf("endpoint %s: %s", gate.endpointId, e.getMessage());
                }
            }
        }
        if (got != null && closed) {
            // closed while the statement ran: give the slots straight back
            releaseQuietly(got.stream().map(l -> new SlotRef(l.endpointId(), l.slotNo())).toList());
            got = List.of();
        }
        synchronized (gate) {
            gate.acquiring = false;
            if (got == null || got.size() < wanted) {
                gate.nextAcquire = System.nanoTime() + settings.acquireRetryMs() * MS;
            }
            if (got != null) {
                for (Lease lease : got) {
                    gate.cap = Math.max(1, lease.cap());
                    Slot slot = gate.held.get(lease.slotNo());
                    if (slot == null) {
                        slot = new Slot(lease.slotNo());
                        slot.lastUsed = sent;
                        gate.held.put(slot.no, slot);
                        gate.idle.push(slot);
                    }
                    slot.deadline = sent + lease.remainingMs() * MS;
                    slot.leasedAt = sent;
                }
            }
        }
        dispatch(gate);
    }

    private void renewSoon() {
        if (renewing || closed) {
            return;
        }
        renewing = true;
        blocking.execute(() -> {
            try {
                renew();
            } catch (RuntimeException e) {
                LOG.warnf("renewing endpoint slot leases failed: %s", e.getMessage());
            } finally {
                renewing = false;
            }
            gates.values().forEach(this::dispatch);
        });
    }

    /** Worker thread: gives back idle slots, then extends every lease still held (two statements in all). */
    void renew() {
        List<SlotRef> release = new ArrayList<>();
        List<UUID> endpoints = new ArrayList<>();
        List<Long> leases = new ArrayList<>();
        long now = System.nanoTime();
        for (Gate gate : gates.values()) {
            synchronized (gate) {
                for (Iterator<Slot> it = gate.idle.iterator(); it.hasNext();) {
                    Slot slot = it.next();
                    boolean idleLong = gate.waiting.isEmpty() && now - slot.lastUsed >= settings.idleReleaseMs() * MS;
                    if (idleLong || slot.deadline - now <= 0) {
                        it.remove();
                        gate.held.remove(slot.no);
                        if (idleLong) {
                            release.add(new SlotRef(gate.endpointId, slot.no));
                        }
                    }
                }
                if (!gate.held.isEmpty()) {
                    endpoints.add(gate.endpointId);
                    leases.add(leaseMs(gate));
                }
            }
        }
        if (!release.isEmpty()) {
            table.release(instanceId, release);
        }
        long sent = System.nanoTime();
        List<Lease> renewed = table.renew(instanceId, endpoints, leases);
        Map<UUID, Map<Integer, Lease>> byEndpoint = new HashMap<>();
        renewed.forEach(l -> byEndpoint.computeIfAbsent(l.endpointId(), k -> new HashMap<>()).put(l.slotNo(), l));
        List<SlotRef> handOver = new ArrayList<>();
        for (UUID endpointId : endpoints) {
            Gate gate = gates.get(endpointId);
            Map<Integer, Lease> mine = byEndpoint.getOrDefault(endpointId, Map.of());
            synchronized (gate) {
                Set<Integer> lost = new HashSet<>();
                for (Slot slot : gate.held.values()) {
                    Lease lease = mine.get(slot.no);
                    if (lease != null) {
                        slot.deadline = sent + lease.remainingMs() * MS;
                        slot.leasedAt = sent;
                        gate.cap = Math.max(1, lease.cap());
                        if (lease.wantedElsewhere() && !slot.handOff) {
                            slot.handOff = true;
                            if (!slot.busy) {
                                handOver.add(new SlotRef(endpointId, slot.no));
                            }
                        }
                    } else if (slot.leasedAt - sent < 0) {
                        lost.add(slot.no);
                    }
                }
                for (Integer no : lost) {
                    Slot slot = gate.held.remove(no);
                    slot.lost = true;
                    gate.idle.remove(slot);
                }
                for (SlotRef ref : handOver) {
                    if (ref.endpointId().equals(endpointId)) {
                        Slot slot = gate.held.remove(ref.slotNo());
                        slot.lost = true;
                        gate.idle.remove(slot);
                    }
                }
                if (!lost.isEmpty()) {
                    LOG.debugf("endpoint %s: %d slot(s) no longer held", endpointId, lost.size());
                }
            }
        }
        if (!handOver.isEmpty()) {
            table.release(instanceId, handOver);
        }
    }

    /** Calls in flight for an endpoint on this instance (metrics, tests). */
    public int inFlight(UUID endpointId) {
        Gate gate = gates.get(endpointId);
        if (gate == null) {
            return 0;
        }
        synchronized (gate) {
            return gate.inFlight;
        }
    }

    /** Slots of an endpoint this instance holds (tests). */
    public int held(UUID endpointId) {
        Gate gate = gates.get(endpointId);
        if (gate == null) {
            return 0;
        }
        synchronized (gate) {
            return gate.held.size();
        }
    }

    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        close();
    }

    /**
     * Stops leasing and renewing, and gives back every idle slot now and each busy one when its call ends (or its
     * lease expires, if the process dies first). Blocking: never on an event loop.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(renewTimer);
        List<SlotRef> idle = new ArrayList<>();
        for (Gate gate : gates.values()) {
            synchronized (gate) {
                for (Slot slot : gate.idle) {
                    gate.held.remove(slot.no);
                    slot.lost = true;
                    idle.add(new SlotRef(gate.endpointId, slot.no));
                }
                gate.idle.clear();
            }
        }
        releaseQuietly(idle);
    }
}
