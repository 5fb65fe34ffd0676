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
        EndpointLimiter limiter = new EndpointLimiter(vertx, table, settings, name + "-" + UUID.randomUUID(),
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
}
