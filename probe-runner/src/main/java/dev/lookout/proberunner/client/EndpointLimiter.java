package dev.lookout.proberunner.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;

/**
 * Per-endpoint concurrency cap that holds across instances. Each endpoint has {@code maxConcurrency} rows in
 * {@code endpoint_slots}; this instance may only have a call in flight on a slot it holds with a lease that outlives
 * the call, while it is alive. The local gate is a FIFO of waiting calls and the slots held: a call starts at once
 * on an idle held slot (no database round trip per call); only when none is free and calls wait, slots are leased in
 * bulk ({@link SlotTable#acquire}, on a worker thread; retried every {@code slot-acquire-retry} while calls wait and
 * fewer than the cap are held). A timer renews exactly the leases held ({@code slot-renew-interval}, one statement)
 * and gives back slots idle for {@code slot-idle-release} when nothing waits, so other instances can take them. An
 * instance whose calls wait while others hold the slots asks them for its share ({@link SlotTable#ask}); a holder
 * sees the ask at its next renewal and gives the slot back after the call on it ends.
 *
 * <p>Liveness: the instance beats every {@code instance-heartbeat} ({@link SlotTable#heartbeat}); its row expires
 * {@code instance-expiry} after the last beat, and then any instance may take its slots — a crashed instance's slots
 * come back within seconds, whatever the call budget. The instance considers itself alive only until one heartbeat
 * interval before that expiry (measured from before the beat was sent, so never later than the database's): past it
 * (beats failing: database unreachable, process paused) it starts nothing, stops every call it has in flight (the
 * connection is closed, the call fails and its message is requeued), drops every slot and goes on under a new holder
 * id once a beat gets through again. So a call never runs on a slot another instance may take.
 *
 * <p>Lease length per endpoint = {@code slot-lease} + the longest call budget seen (timeout + 1 s hard stop per
 * turn, + 1 s grace): a call starts only on a slot whose lease (as seen locally) still covers its whole budget, so a
 * live instance whose renewals fail still ends each call before its lease does. No thread ever blocks; no event loop
 * runs JDBC.
 */
@ApplicationScoped
public class EndpointLimiter {

    private static final Logger LOG = Logger.getLogger(EndpointLimiter.class);
    private static final long MS = 1_000_000L;

    /** Lease and liveness timings (milliseconds). */
    public record Settings(long leaseMs, long renewIntervalMs, long idleReleaseMs, long acquireRetryMs,
            long heartbeatMs, long expiryMs) {

        public Settings {
            if (expiryMs <= 2 * heartbeatMs) {
                throw new IllegalArgumentException("instance-expiry (" + expiryMs
                        + " ms) must be more than twice instance-heartbeat (" + heartbeatMs + " ms)");
            }
        }

        /** Default liveness: a beat every second, dead 4 s after the last one. */
        public Settings(long leaseMs, long renewIntervalMs, long idleReleaseMs, long acquireRetryMs) {
            this(leaseMs, renewIntervalMs, idleReleaseMs, acquireRetryMs, 1_000, 4_000);
        }

        static Settings from(ProbeRunnerConfig config) {
            ProbeRunnerConfig.Calls c = config.calls();
            return new Settings(c.slotLease().toMillis(), c.slotRenewInterval().toMillis(),
                    c.slotIdleRelease().toMillis(), c.slotAcquireRetry().toMillis(),
                    c.instanceHeartbeat().toMillis(), c.instanceExpiry().toMillis());
        }
    }

    /** A call stopped because this instance could not prove it is alive (its message goes back to the queue). */
    public static final class SlotLostException extends RuntimeException {
        SlotLostException(String message) {
            super(message, null, false, false);
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
        /** No longer held (lowered cap, taken over, given back): dropped when its call ends. */
        boolean lost;
        /** Asked for by another instance: given back when its call ends. */
        boolean handOff;
        /** Stops the call in flight (null while idle or while the call is being started). */
        Runnable abort;
        /** The instance was fenced while the call was being started: stop it as soon as it is. */
        boolean abortPending;

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

    /** Who this instance is right now and until when it may call (guarded by itself). */
    private static final class Life {
        String holder;
        int generation;
        boolean registered;
        boolean alive;
        /** System.nanoTime() until which calls may run: last beat's send time + its remaining life − one interval. */
        long aliveUntil;
        long fenceTimer = -1;
    }

    private final Vertx vertx;
    private final SlotTable table;
    private final Settings settings;
    private final String baseId;
    private final Executor blocking;
    private final Map<UUID, Gate> gates = new ConcurrentHashMap<>();
    private final Life life = new Life();
    private final long renewTimer;
    private final long heartbeatTimer;
    private volatile boolean renewing;
    private volatile boolean beating;
    private volatile boolean closed;
    private volatile boolean retired;

    @Inject
    public EndpointLimiter(Vertx vertx, SlotTable table, ProbeRunnerConfig config) {
        this(vertx, table, Settings.from(config), "probe-runner-" + UUID.randomUUID(),
                Infrastructure.getDefaultWorkerPool());
    }

    public EndpointLimiter(Vertx vertx, SlotTable table, Settings settings, String instanceId, Executor blocking) {
        this.vertx = vertx;
        this.table = table;
        this.settings = settings;
        this.baseId = instanceId;
        this.blocking = blocking;
        this.life.holder = instanceId;
        this.renewTimer = vertx.setPeriodic(settings.renewIntervalMs(), id -> renewSoon());
        this.heartbeatTimer = vertx.setPeriodic(settings.heartbeatMs(), id -> beatSoon());
        beatSoon();
    }

    /** This instance's holder id in {@code endpoint_slots} and {@code runner_instances} (changes after a fence). */
    public String instanceId() {
        synchronized (life) {
            return life.holder;
        }
    }

    /**
     * Runs {@code task} once this instance holds a slot of the endpoint whose lease covers {@code budgetMs} (the
     * longest the task can take). FIFO per endpoint; nothing blocks. Fails with {@link SlotLostException} when the
     * instance stops the task because it could not renew its liveness in time.
     */
    public <T> Uni<T> run(UUID endpointId, int maxConcurrency, long budgetMs, Supplier<Uni<T>> task) {
        return Uni.createFrom().emitter(emitter -> {
            Gate gate = gates.computeIfAbsent(endpointId, Gate::new);
            Waiter waiter = new Waiter(budgetMs * MS, slot -> start(gate, slot, task, emitter));
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

    private <T> void start(Gate gate, Slot slot, Supplier<Uni<T>> task, UniEmitter<? super T> emitter) {
        AtomicBoolean settled = new AtomicBoolean();
        Uni<T> uni;
        try {
            uni = task.get();
        } catch (RuntimeException e) {
            settled.set(true);
            done(gate, slot);
            emitter.fail(e);
            return;
        }
        Cancellable call = uni.subscribe().with(item -> {
            if (settled.compareAndSet(false, true)) {
                done(gate, slot);
                emitter.complete(item);
            }
        }, failure -> {
            if (settled.compareAndSet(false, true)) {
                done(gate, slot);
                emitter.fail(failure);
            }
        });
        Runnable abort = () -> {
            if (settled.compareAndSet(false, true)) {
                call.cancel();
                done(gate, slot);
                emitter.fail(new SlotLostException("stopped: this instance could not renew its liveness in time"));
            }
        };
        boolean now = false;
        synchronized (gate) {
            // a call that already ended (maybe synchronously, the slot even reused) leaves the slot alone
            if (!settled.get()) {
                now = slot.abortPending;
                slot.abortPending = false;
                slot.abort = now ? null : abort;
            }
        }
        if (now) {
            abort.run();
        }
    }

    private void done(Gate gate, Slot slot) {
        String holder = instanceId();
        synchronized (gate) {
            gate.inFlight--;
            slot.busy = false;
            slot.abort = null;
            slot.lastUsed = System.nanoTime();
            if ((closed || slot.handOff) && !slot.lost) {
                // shutting down, or another instance asked for it: the slot goes back as soon as its call ends
                gate.held.remove(slot.no);
                slot.lost = true;
                SlotRef ref = new SlotRef(gate.endpointId, slot.no);
                blocking.execute(() -> releaseQuietly(holder, List.of(ref)));
            } else if (!slot.lost) {
                gate.idle.push(slot);
            }
        }
        dispatch(gate);
    }

    private void releaseQuietly(String holder, List<SlotRef> slots) {
        try {
            table.release(holder, slots);
        } catch (RuntimeException e) {
            LOG.infof("releasing %d slot(s) failed (their leases will expire): %s", slots.size(), e.getMessage());
        }
    }

    private boolean alive(long now) {
        synchronized (life) {
            return life.alive && life.aliveUntil - now > 0;
        }
    }

    /** Starts waiting calls on usable idle slots; leases more (off the event loop) when calls still wait. */
    private void dispatch(Gate gate) {
        List<Runnable> starts = new ArrayList<>();
        boolean acquire = false;
        boolean retry = false;
        int wanted = 0;
        long leaseMs = 0;
        long now = System.nanoTime();
        boolean alive = alive(now);
        synchronized (gate) {
            while (alive && !gate.waiting.isEmpty()) {
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
            // for a slot of their own (done) or for the renewal (a raised cap, leases extended). Not alive: the
            // next successful heartbeat dispatches again.
            if (alive && !gate.waiting.isEmpty() && !gate.acquiring && !closed && gate.held.size() < gate.cap) {
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
            String holder = instanceId();
            blocking.execute(() -> acquire(gate, holder, want, lease));
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
    private void acquire(Gate gate, String holder, int wanted, long leaseMs) {
        long sent = System.nanoTime();
        List<Lease> got;
        try {
            got = table.acquire(gate.endpointId, holder, wanted, leaseMs);
        } catch (RuntimeException e) {
            LOG.warnf("endpoint %s: %s", gate.endpointId, e.getMessage());
            got = null;
        }
        if (got != null && got.size() < wanted) {
            askForShare(gate, holder, wanted, got);
        }
        if (got != null && (closed || !holder.equals(instanceId()))) {
            // closed, or fenced (a new holder id) while the statement ran: give the slots straight back
            releaseQuietly(holder, got.stream().map(l -> new SlotRef(l.endpointId(), l.slotNo())).toList());
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

    /** Worker thread: other instances hold the rest, ask them for up to a fair share (kept alive while calls wait). */
    private void askForShare(Gate gate, String holder, int wanted, List<Lease> got) {
        int held;
        int cap;
        synchronized (gate) {
            held = gate.held.size() + got.size();
            cap = got.isEmpty() ? gate.cap : got.get(0).cap();
        }
        if (held < cap) {
            try {
                table.ask(gate.endpointId, holder, wanted - got.size(), askMs());
            } catch (RuntimeException e) {
                LOG.warnf("endpoint %s: %s", gate.endpointId, e.getMessage());
            }
        }
    }

    private void beatSoon() {
        if (beating || retired) {
            return;
        }
        beating = true;
        blocking.execute(() -> {
            try {
                beat();
            } catch (RuntimeException e) {
                LOG.warnf("instance heartbeat failed (calls stop if none gets through in time): %s", e.getMessage());
            } finally {
                beating = false;
            }
        });
    }

    /**
     * Worker thread: one heartbeat. Alive → extends the local deadline and arms the fence timer; found presumed dead
     * (its row expired) or answered too late → fences. Once closed and idle: retires the holder id and stops.
     */
    void beat() {
        String holder;
        boolean register;
        synchronized (life) {
            holder = life.holder;
            register = !life.registered;
        }
        if (closed && totalInFlight() == 0) {
            retire(holder);
            return;
        }
        long sent = System.nanoTime();
        long remainingMs = table.heartbeat(holder, settings.expiryMs(), register);
        long now = System.nanoTime();
        boolean fence;
        boolean wasAlive;
        synchronized (life) {
            if (!holder.equals(life.holder)) {
                return;
            }
            wasAlive = life.alive;
            long until = sent + (remainingMs - settings.heartbeatMs()) * MS;
            // presumed dead, or the answer came after the deadline: another instance may already have our slots
            fence = remainingMs < 0 || (life.alive && now - life.aliveUntil >= 0) || until - now <= 0;
            if (!fence) {
                life.registered = true;
                life.alive = true;
                life.aliveUntil = until;
                long timer = life.fenceTimer;
                life.fenceTimer = vertx.setTimer(Math.max(1, (until - now) / MS + 1), id -> checkAlive());
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
            }
        }
        if (fence) {
            fence(holder, remainingMs < 0 ? "presumed dead (its heartbeat row expired)"
                    : "its heartbeat was answered too late");
        } else if (!wasAlive) {
            gates.values().forEach(this::dispatch);
        }
    }

    /** Event loop: the local deadline passed without a newer beat. */
    private void checkAlive() {
        String holder;
        synchronized (life) {
            if (!life.alive || System.nanoTime() - life.aliveUntil < 0) {
                return;
            }
            holder = life.holder;
        }
        fence(holder, "no heartbeat got through for " + (settings.expiryMs() - settings.heartbeatMs()) + " ms");
    }

    /**
     * Stops being {@code holder}: nothing starts, every call in flight is stopped (its connection closed, its caller
     * failed with {@link SlotLostException}), every slot is dropped, and the next beat registers a new holder id.
     * The old id is retired in the background (frees its slots at once if the database answers; else it expires).
     */
    private void fence(String holder, String why) {
        synchronized (life) {
            if (!holder.equals(life.holder)) {
                return;
            }
            life.alive = false;
            life.registered = false;
            life.generation++;
            life.holder = baseId + "/" + life.generation;
            if (life.fenceTimer >= 0) {
                vertx.cancelTimer(life.fenceTimer);
                life.fenceTimer = -1;
            }
        }
        List<Runnable> aborts = new ArrayList<>();
        for (Gate gate : gates.values()) {
            synchronized (gate) {
                for (Slot slot : gate.held.values()) {
                    slot.lost = true;
                    if (slot.busy && slot.abort != null) {
                        aborts.add(slot.abort);
                    } else if (slot.busy) {
                        slot.abortPending = true;
                    }
                }
                gate.held.clear();
                gate.idle.clear();
            }
        }
        LOG.warnf("instance %s %s: stopped %d call(s) in flight, dropped its slots; going on as %s", holder, why,
                aborts.size(), instanceId());
        aborts.forEach(Runnable::run);
        blocking.execute(() -> retire(holder));
    }

    private void retire(String holder) {
        try {
            table.retire(holder);
        } catch (RuntimeException e) {
            LOG.infof("retiring %s failed (its row and leases will expire): %s", holder, e.getMessage());
        }
        if (closed && holder.equals(instanceId())) {
            retired = true;
            vertx.cancelTimer(heartbeatTimer);
        }
    }

    private int totalInFlight() {
        int n = 0;
        for (Gate gate : gates.values()) {
            synchronized (gate) {
                n += gate.inFlight;
            }
        }
        return n;
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

    /** One slot held when a renewal started, and its lease length. */
    private record Held(Gate gate, Slot slot, long leaseMs) {
    }

    /**
     * Worker thread: gives back idle slots, then extends exactly the leases held when it started (two statements in
     * all). Slots leased while the renewal ran are left alone: the statement could not have seen them.
     */
    void renew() {
        String holder = instanceId();
        List<SlotRef> release = new ArrayList<>();
        List<Held> snapshot = new ArrayList<>();
        dropIdleAndSnapshot(System.nanoTime(), release, snapshot);
        if (!release.isEmpty()) {
            table.release(holder, release);
        }
        long sent = System.nanoTime();
        List<Lease> renewed = table.renew(holder,
                snapshot.stream().map(h -> new SlotRef(h.gate().endpointId, h.slot().no)).toList(),
                snapshot.stream().map(Held::leaseMs).toList());
        Map<SlotRef, Lease> byRef = new HashMap<>();
        renewed.forEach(l -> byRef.put(new SlotRef(l.endpointId(), l.slotNo()), l));
        List<SlotRef> handOver = new ArrayList<>();
        for (Held h : snapshot) {
            Lease lease = byRef.get(new SlotRef(h.gate().endpointId, h.slot().no));
            if (applyRenewal(h, lease, sent)) {
                handOver.add(new SlotRef(h.gate().endpointId, h.slot().no));
            }
        }
        if (!handOver.isEmpty()) {
            table.release(holder, handOver);
        }
    }

    /**
     * Takes out of every gate the idle slots to give back (idle too long with nobody waiting, or lease run out) into
     * {@code release}, and lists the slots still held into {@code snapshot}.
     */
    private void dropIdleAndSnapshot(long now, List<SlotRef> release, List<Held> snapshot) {
        for (Gate gate : gates.values()) {
            synchronized (gate) {
                for (Iterator<Slot> it = gate.idle.iterator(); it.hasNext();) {
                    Slot slot = it.next();
                    boolean idleLong = gate.waiting.isEmpty() && now - slot.lastUsed >= settings.idleReleaseMs() * MS;
                    if (idleLong || slot.deadline - now <= 0) {
                        it.remove();
                        gate.held.remove(slot.no);
                        slot.lost = true;
                        release.add(new SlotRef(gate.endpointId, slot.no));
                    }
                }
                for (Slot slot : gate.held.values()) {
                    snapshot.add(new Held(gate, slot, leaseMs(gate)));
                }
            }
        }
    }

    /**
     * Applies the renewal of one slot held when it started ({@code lease} null: no longer ours); returns true when the
     * slot is wanted elsewhere and idle, so it is to be handed over now.
     */
    private boolean applyRenewal(Held h, Lease lease, long sent) {
        Gate gate = h.gate();
        synchronized (gate) {
            Slot slot = h.slot();
            if (gate.held.get(slot.no) != slot) {
                return false; // dropped meanwhile (call ended on a hand-off, fenced, ...)
            }
            if (lease == null) {
                gate.held.remove(slot.no);
                gate.idle.remove(slot);
                slot.lost = true;
                LOG.debugf("endpoint %s: slot %d no longer held", gate.endpointId, slot.no);
                return false;
            }
            slot.deadline = sent + lease.remainingMs() * MS;
            slot.leasedAt = sent;
            gate.cap = Math.max(1, lease.cap());
            if (lease.wantedElsewhere() && !slot.handOff) {
                slot.handOff = true;
                if (!slot.busy) {
                    gate.held.remove(slot.no);
                    gate.idle.remove(slot);
                    slot.lost = true;
                    return true;
                }
            }
            return false;
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
     * Stops leasing and renewing, and gives back every idle slot now and each busy one when its call ends; the
     * heartbeat goes on until the last call has ended, then the holder id is retired (if the process dies first,
     * its row expires). Blocking: never on an event loop.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(renewTimer);
        String holder = instanceId();
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
        releaseQuietly(holder, idle);
        if (totalInFlight() == 0) {
            retire(holder);
        }
    }
}
