package dev.lookout.proberunner.client;

import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.proberunner.repository.SlotTable;
import dev.lookout.simulator.SimulatorConfig;
import dev.lookout.simulator.SimulatorServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The cross-instance cap: two limiters with different instance ids (as two probe-runner instances would be) lease
 * slots of the same endpoint from the real {@code endpoint_slots} table.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class EndpointSlotsTest {

    /** Short leases so that hand-overs and expiries happen within a test. */
    private static final EndpointLimiter.Settings FAST = new EndpointLimiter.Settings(2_000, 200, 500, 50);
    private static final long BUDGET_MS = 200;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Vertx vertx;
    @Inject
    SlotTable table;
    @Inject
    DataSource dataSource;
    @Inject
    ModelClient modelClient;

    private final List<EndpointLimiter> limiters = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    @AfterEach
    void closeLimiters() {
        limiters.forEach(EndpointLimiter::close);
        limiters.clear();
    }

    private EndpointLimiter instance(String name, EndpointLimiter.Settings settings) {
        return instance(name, settings, table);
    }

    private EndpointLimiter instance(String name, EndpointLimiter.Settings settings, SlotTable slots) {
        EndpointLimiter limiter = new EndpointLimiter(vertx, slots, settings, name + "-" + UUID.randomUUID(),
                Infrastructure.getDefaultWorkerPool());
        limiters.add(limiter);
        return limiter;
    }

    private static UUID endpoint(int cap) {
        return UUID.fromString(createEndpoint(unique("slots"), "http://127.0.0.1:9/none", cap).getString("id"));
    }

    /** A fake call of {@code ms}: counts calls in flight across every limiter of the test. */
    private Uni<Integer> call(long ms) {
        return Uni.createFrom().emitter(e -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            vertx.setTimer(ms, id -> {
                inFlight.decrementAndGet();
                finished.incrementAndGet();
                e.complete(1);
            });
        });
    }

    private void submit(EndpointLimiter limiter, UUID endpointId, int cap, int calls, long ms) {
        for (int i = 0; i < calls; i++) {
            limiter.run(endpointId, cap, BUDGET_MS, () -> call(ms)).subscribe().with(x -> {
            }, f -> {
                throw new AssertionError("call failed", f);
            });
        }
    }

    /** holder → slots held, from the table. */
    private Map<String, Integer> holders(UUID endpointId) throws SQLException {
        Map<String, Integer> result = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select coalesce(holder, '-'), count(*) from endpoint_slots where endpoint_id = ? group by 1")) {
            ps.setObject(1, endpointId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return result;
    }

    private List<Integer> slotNumbers(UUID endpointId) throws SQLException {
        List<Integer> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select slot_no from endpoint_slots where endpoint_id = ? order by slot_no")) {
            ps.setObject(1, endpointId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getInt(1));
                }
            }
        }
        return result;
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    @Test
    void shouldNeverHoldMoreThanTheCapBetweenTwoInstances() {
        int cap = 3;
        UUID endpointId = endpoint(cap);
        EndpointLimiter a = instance("a", FAST);
        EndpointLimiter b = instance("b", FAST);
        AtomicInteger heldPeak = new AtomicInteger();
        long sampler = vertx.setPeriodic(5, id -> heldPeak.accumulateAndGet(a.held(endpointId) + b.held(endpointId),
                Math::max));
        try {
            submit(a, endpointId, cap, 30, 15);
            submit(b, endpointId, cap, 30, 15);
            Awaitility.await().atMost(WAIT).until(() -> finished.get() == 60);
        } finally {
            vertx.cancelTimer(sampler);
        }
        assertTrue(peak.get() <= cap, "calls in flight across both instances: " + peak.get());
        assertTrue(peak.get() >= 2, "the slots were used in parallel: " + peak.get());
        assertTrue(heldPeak.get() <= cap, "slots held by both instances together: " + heldPeak.get());
    }

    @Test
    void shouldKeepTheCapBetweenTheWorkerAndAnotherInstanceOnOneModelServer() {
        io.vertx.core.Vertx simVertx = io.vertx.core.Vertx.vertx();
        try (SimulatorServer sim = SimulatorServer.start(simVertx,
                SimulatorConfig.defaults().withPort(0).withLatency(60, 20))) {
            int cap = 2;
            String name = unique("shared");
            UUID endpointId = UUID.fromString(createEndpoint(name, sim.baseUrl(), cap).getString("id"));
            // this application's worker: a probe run of 12 calls on the endpoint
            String suite = unique("shared");
            createSuite(suite, probes(6, "shared"));
            String runId = startRun(suite, List.of(target(name, "demo-ckpt-600", "c"), target(name, "demo-base", "b")));
            // another instance: 12 calls of its own on the same model server, through its own limiter
            EndpointLimiter other = instance("other", FAST);
            AtomicInteger otherDone = new AtomicInteger();
            for (int i = 0; i < 12; i++) {
                CallContext ctx = new CallContext(UUID.randomUUID(), UUID.randomUUID(), endpointId, sim.baseUrl(), null,
                        cap, 5_000, new JsonObject().put("model", "demo-base").put("messages", new JsonArray()
                                .add(new JsonObject().put("role", "user").put("content", "question " + i))));
                other.run(endpointId, cap, BUDGET_MS + 6_000, () -> modelClient.chat(ctx)).subscribe().with(outcome -> {
                    if (outcome.kind() == CallOutcome.Kind.SUCCESS) {
                        otherDone.incrementAndGet();
                    }
                });
            }
            JsonPath run = awaitCompleted(runId);
            Awaitility.await().atMost(WAIT).until(() -> otherDone.get() == 12);
            assertEquals(12, run.getInt("counts.done"));
            assertEquals(24, sim.stats().requests());
            int peakAtServer = sim.stats().maxInFlight();
            assertTrue(peakAtServer >= 1 && peakAtServer <= cap, "maxInFlight at the model server: " + peakAtServer);
        } finally {
            simVertx.close();
        }
    }

    @Test
    void shouldReleaseIdleSlotsToTheOtherInstance() throws SQLException {
        int cap = 2;
        UUID endpointId = endpoint(cap);
        EndpointLimiter a = instance("a", FAST);
        submit(a, endpointId, cap, 4, 10);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 4);
        assertEquals(cap, a.held(endpointId), "a leased every slot it could use");
        assertEquals(Map.of(a.instanceId(), cap), holders(endpointId));

        // b (keeps its own idle slots) gets a fair share from a at once (asked for), and the rest once a has
        // been idle for 500 ms: 100 calls of 10 ms outlast that
        peak.set(0);
        EndpointLimiter b = instance("b", new EndpointLimiter.Settings(2_000, 200, 60_000, 50));
        submit(b, endpointId, cap, 100, 10);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 104);
        assertEquals(0, a.held(endpointId), "a gave its idle slots back");
        assertEquals(cap, b.held(endpointId), "b picked them up");
        assertEquals(Map.of(b.instanceId(), cap), holders(endpointId));
        assertEquals(cap, peak.get(), "b ran calls on both slots");
    }

    @Test
    void shouldShareTheSlotsWithAnInstanceThatWaitsWhileTheHolderIsStillBusy() throws SQLException {
        int cap = 4;
        UUID endpointId = endpoint(cap);
        EndpointLimiter a = instance("a", FAST);
        EndpointLimiter b = instance("b", FAST);
        AtomicInteger aDone = new AtomicInteger();
        AtomicInteger bDone = new AtomicInteger();
        // a: a backlog of 4 s on all four slots (300 calls of 50 ms)
        for (int i = 0; i < 300; i++) {
            a.run(endpointId, cap, BUDGET_MS, () -> call(50)).subscribe().with(x -> aDone.incrementAndGet());
        }
        Awaitility.await().atMost(WAIT).until(() -> a.held(endpointId) == cap);
        for (int i = 0; i < 20; i++) {
            b.run(endpointId, cap, BUDGET_MS, () -> call(50)).subscribe().with(x -> bDone.incrementAndGet());
        }
        Awaitility.await().atMost(WAIT).until(() -> bDone.get() == 20);
        int aDoneWhenBFinished = aDone.get();
        assertTrue(aDoneWhenBFinished < 300, "b was served while a still had work: a done " + aDoneWhenBFinished);
        Awaitility.await().atMost(WAIT).until(() -> aDone.get() == 300);
        assertTrue(peak.get() <= cap, "calls in flight across both instances: " + peak.get());
    }

    @Test
    void shouldTakeOverAnExpiredLeaseButNotALiveOne() throws SQLException {
        int cap = 2;
        UUID endpointId = endpoint(cap);
        // slot 0: a live instance that holds it for an hour; slot 1: an instance that crashed, lease 300 ms
        execute("update endpoint_slots set holder = 'alive', lease_until = now() + interval '1 hour' "
                + "where endpoint_id = ? and slot_no = 0", endpointId);
        List<SlotTable.Lease> crashed = table.acquire(endpointId, "crashed", 2, 300);
        assertEquals(1, crashed.size(), "only slot 1 was free");
        assertEquals(1, crashed.get(0).slotNo());

        EndpointLimiter b = instance("b", FAST);
        submit(b, endpointId, cap, 5, 10);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 5);
        assertEquals(1, peak.get(), "only the expired slot was taken over");
        assertEquals(1, b.held(endpointId));
        assertEquals(Map.of("alive", 1, b.instanceId(), 1), holders(endpointId));
    }

    @Test
    void shouldFollowTheCapWhenItChanges() throws SQLException {
        UUID endpointId = endpoint(4);
        assertEquals(List.of(0, 1, 2, 3), slotNumbers(endpointId));
        EndpointLimiter.Settings keepIdle = new EndpointLimiter.Settings(2_000, 200, 60_000, 50);
        EndpointLimiter a = instance("a", keepIdle);
        submit(a, endpointId, 4, 8, 10);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 8);
        assertEquals(4, a.held(endpointId));

        execute("update endpoints set max_concurrency = 2 where id = ?", endpointId);
        assertEquals(List.of(0, 1), slotNumbers(endpointId));
        Awaitility.await().atMost(WAIT).until(() -> a.held(endpointId) == 2);

        execute("update endpoints set max_concurrency = 6 where id = ?", endpointId);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), slotNumbers(endpointId));
        // the worker's hint is the cap its cached context saw (2 slots held, 4 hinted); the table's cap (6) wins
        // from the next renewal on (200 ms here): 60 calls of 30 ms outlast it
        peak.set(0);
        submit(a, endpointId, 4, 60, 30);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 68);
        assertEquals(6, a.held(endpointId), "the new slots were leased");
        assertTrue(peak.get() > 2 && peak.get() <= 6, "calls ran on the new slots, within the cap: " + peak.get());
    }

    /** The real table, whose statements fail while {@code down} (a partitioned or paused instance). */
    static final class FlakyTable extends SlotTable {
        volatile boolean down;

        FlakyTable(DataSource dataSource) {
            super(dataSource);
        }

        private void check() {
            if (down) {
                throw new IllegalStateException("database unreachable (test)");
            }
        }

        @Override
        public List<Lease> acquire(UUID endpointId, String holder, int wanted, long leaseMs) {
            check();
            return super.acquire(endpointId, holder, wanted, leaseMs);
        }

        @Override
        public List<Lease> renew(String holder, List<SlotRef> slots, List<Long> leaseMs) {
            check();
            return super.renew(holder, slots, leaseMs);
        }

        @Override
        public long heartbeat(String holder, long expiryMs, boolean register) {
            check();
            return super.heartbeat(holder, expiryMs, register);
        }

        @Override
        public int ask(UUID endpointId, String holder, int wanted, long askMs) {
            check();
            return super.ask(endpointId, holder, wanted, askMs);
        }

        @Override
        public int release(String holder, List<SlotRef> slots) {
            check();
            return super.release(holder, slots);
        }

        @Override
        public void retire(String holder) {
            check();
            super.retire(holder);
        }
    }

    /**
     * A fake call of {@code ms} that can be stopped: counts calls in flight (until it ends or is cancelled) across
     * every limiter of the test.
     */
    private Uni<Integer> stoppableCall(long ms) {
        return Uni.createFrom().emitter(e -> {
            AtomicBoolean over = new AtomicBoolean();
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            long timer = vertx.setTimer(ms, id -> {
                if (over.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                    finished.incrementAndGet();
                    e.complete(1);
                }
            });
            e.onTermination(() -> {
                if (over.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    inFlight.decrementAndGet();
                }
            });
        });
    }

    @Test
    void shouldHandTheSlotsOfAnInstanceThatStoppedBeatingToAnotherWithinItsExpiryNotItsLeases() throws SQLException {
        int cap = 3;
        UUID endpointId = endpoint(cap);
        // leases of a minute (as with a 60 s endpoint timeout), liveness: a beat every 250 ms, dead after 1.5 s
        EndpointLimiter.Settings live = new EndpointLimiter.Settings(60_000, 200, 60_000, 50, 250, 1_500);
        FlakyTable aTable = new FlakyTable(dataSource);
        EndpointLimiter a = instance("a", live, aTable);
        EndpointLimiter b = instance("b", live);
        AtomicInteger aStopped = new AtomicInteger();
        AtomicInteger aOther = new AtomicInteger();
        for (int i = 0; i < cap; i++) {
            a.run(endpointId, cap, BUDGET_MS, () -> stoppableCall(30_000)).subscribe().with(x -> aOther.incrementAndGet(),
                    f -> (f instanceof EndpointLimiter.SlotLostException ? aStopped : aOther).incrementAndGet());
        }
        Awaitility.await().atMost(WAIT).until(() -> a.inFlight(endpointId) == cap);
        String aFirstId = a.instanceId();
        assertEquals(Map.of(aFirstId, cap), holders(endpointId));

        // b has work; a loses the database (its heartbeats fail) with every slot busy for another 30 s
        submit(b, endpointId, cap, 60, 20);
        aTable.down = true;
        // within WAIT (20 s): far less than a's leases (60 s + budget) or its calls (30 s)
        Awaitility.await().atMost(WAIT).until(() -> aStopped.get() == cap);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 60);

        assertEquals(0, aOther.get(), "a's calls were stopped, none ended otherwise");
        assertEquals(0, a.inFlight(endpointId));
        assertEquals(0, a.held(endpointId), "a dropped every slot");
        assertTrue(peak.get() <= cap, "calls in flight across both instances: " + peak.get());
        assertEquals(cap, b.held(endpointId), "b took over every slot");

        // the partition heals: a comes back under a new id and asks for its share
        aTable.down = false;
        Awaitility.await().atMost(WAIT).until(() -> !a.instanceId().equals(aFirstId) && a.held(endpointId) == 0);
        peak.set(0);
        submit(a, endpointId, cap, 30, 20);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 90);
        assertTrue(peak.get() <= cap, "calls in flight after the partition healed: " + peak.get());
        assertTrue(holders(endpointId).keySet().stream().noneMatch(aFirstId::equals), "the old id holds nothing");
    }

    @Test
    void shouldNotTakeTheSlotsOfALiveInstanceWhoseLeasesAreLong() throws SQLException {
        int cap = 2;
        UUID endpointId = endpoint(cap);
        EndpointLimiter.Settings live = new EndpointLimiter.Settings(60_000, 200, 60_000, 50, 250, 1_500);
        EndpointLimiter a = instance("a", live);
        submit(a, endpointId, cap, 2, 10);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 2);
        EndpointLimiter b = instance("b", new EndpointLimiter.Settings(60_000, 200, 60_000, 50, 250, 1_500));
        // a keeps beating: b's acquires find nothing free for several of a's expiries; its ask gets it a share
        AtomicInteger bDone = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            b.run(endpointId, cap, BUDGET_MS, () -> stoppableCall(10)).subscribe().with(x -> bDone.incrementAndGet());
        }
        Awaitility.await().atMost(WAIT).until(() -> bDone.get() == 10);
        assertEquals(1, a.held(endpointId), "a kept one slot, gave one back on b's ask");
        assertEquals(1, b.held(endpointId), "b got its share, never a live instance's busy or kept slot");
        assertEquals(Map.of(a.instanceId(), 1, b.instanceId(), 1), holders(endpointId));
    }

    @Test
    void shouldCloseTheConnectionOfACallStoppedBecauseTheInstanceCouldNotBeat() {
        io.vertx.core.Vertx simVertx = io.vertx.core.Vertx.vertx();
        try (SimulatorServer sim = SimulatorServer.start(simVertx,
                SimulatorConfig.defaults().withPort(0).withLatency(30_000, 0))) {
            int cap = 2;
            UUID endpointId = UUID.fromString(createEndpoint(unique("fence"), sim.baseUrl(), cap).getString("id"));
            FlakyTable aTable = new FlakyTable(dataSource);
            EndpointLimiter a = instance("a", new EndpointLimiter.Settings(60_000, 200, 60_000, 50, 250, 1_500),
                    aTable);
            AtomicInteger stopped = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            for (int i = 0; i < cap; i++) {
                CallContext ctx = new CallContext(UUID.randomUUID(), UUID.randomUUID(), endpointId, sim.baseUrl(), null,
                        cap, 60_000, new JsonObject().put("model", "demo-base").put("messages", new JsonArray()
                                .add(new JsonObject().put("role", "user").put("content", "slow question " + i))));
                a.run(endpointId, cap, 62_000, () -> modelClient.chat(ctx)).subscribe().with(
                        x -> other.incrementAndGet(),
                        f -> (f instanceof EndpointLimiter.SlotLostException ? stopped : other).incrementAndGet());
            }
            Awaitility.await().atMost(WAIT).until(() -> sim.stats().inFlight() == cap);
            aTable.down = true;
            Awaitility.await().atMost(WAIT).until(() -> stopped.get() == cap);
            // the model server sees both connections closed: nothing of a's is left running there
            Awaitility.await().atMost(WAIT).until(() -> sim.stats().inFlight() == 0);
            assertEquals(0, other.get());
            assertEquals(0, a.inFlight(endpointId));
        } finally {
            simVertx.close();
        }
    }

    /**
     * The real table, where the next acquire is held back until a renewal statement has run: the acquire was sent
     * before the renewal, commits after it, and its slot reaches the gate before the renewal's answer is processed.
     */
    static final class RacingTable extends SlotTable {
        final CountDownLatch acquireWaits = new CountDownLatch(1);
        final CountDownLatch renewRan = new CountDownLatch(1);
        volatile boolean armed;
        volatile Runnable afterRacingRenew = () -> {
        };

        RacingTable(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        public List<Lease> acquire(UUID endpointId, String holder, int wanted, long leaseMs) {
            if (armed) {
                armed = false;
                acquireWaits.countDown();
                try {
                    if (!renewRan.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("no renewal ran");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return super.acquire(endpointId, holder, wanted, leaseMs);
        }

        @Override
        public List<Lease> renew(String holder, List<SlotRef> slots, List<Long> leaseMs) {
            List<Lease> renewed = super.renew(holder, slots, leaseMs);
            if (acquireWaits.getCount() == 0 && renewRan.getCount() == 1) {
                renewRan.countDown();
                afterRacingRenew.run();
            }
            return renewed;
        }
    }

    @Test
    void shouldKeepASlotLeasedWhileARenewalRanAndUseEverySlot() throws SQLException {
        int cap = 2;
        UUID endpointId = endpoint(cap);
        RacingTable racing = new RacingTable(dataSource);
        EndpointLimiter a = instance("a", new EndpointLimiter.Settings(2_000, 200, 60_000, 50), racing);
        submit(a, endpointId, cap, 1, 10);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 1);
        assertEquals(1, a.held(endpointId), "a holds slot 0, idle");

        // the next acquire (for slot 1) races with a renewal of slot 0; the renewal's answer is processed only once
        // slot 1 has reached the gate, as it would when the acquire's worker thread wins
        racing.afterRacingRenew = () -> Awaitility.await().atMost(WAIT).until(() -> a.held(endpointId) == cap);
        racing.armed = true;
        submit(a, endpointId, cap, 40, 30);
        Awaitility.await().atMost(WAIT).until(() -> racing.renewRan.getCount() == 0);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 41);

        assertEquals(cap, a.held(endpointId), "a still holds both slots after the race");
        assertEquals(Map.of(a.instanceId(), cap), holders(endpointId), "the table agrees");
        assertEquals(cap, peak.get(), "both slots carried calls");
    }

    @Test
    void shouldNeverRenewASlotTheInstanceDoesNotHoldLocally() throws SQLException {
        int cap = 2;
        UUID endpointId = endpoint(cap);
        EndpointLimiter a = instance("a", new EndpointLimiter.Settings(2_000, 100, 60_000, 50));
        submit(a, endpointId, cap, 1, 10);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 1);
        assertEquals(1, a.held(endpointId));
        // a row leased under a's id that a does not know about (e.g. dropped locally after a race): 300 ms lease
        List<SlotTable.Lease> stray = table.acquire(endpointId, a.instanceId(), 1, 300);
        assertEquals(1, stray.size());
        // a keeps renewing its own slot every 100 ms; the stray lease must run out, not be carried along
        Awaitility.await().atMost(WAIT).until(() -> expired(endpointId, stray.get(0).slotNo()));
        peak.set(0);
        submit(a, endpointId, cap, 40, 30);
        Awaitility.await().atMost(WAIT).until(() -> finished.get() == 41);
        assertEquals(cap, a.held(endpointId), "a took the expired slot again");
        assertEquals(cap, peak.get(), "and used it");
    }

    private boolean expired(UUID endpointId, int slotNo) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select lease_until < now() from endpoint_slots where endpoint_id = ? and slot_no = ?")) {
            ps.setObject(1, endpointId);
            ps.setInt(2, slotNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
