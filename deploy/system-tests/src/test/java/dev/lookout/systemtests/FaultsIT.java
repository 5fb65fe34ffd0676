package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults during a probe run of {@value FaultRun#CALLS} calls: probe-runner killed with SIGKILL and restarted, the
 * broker stopped twice, probe-runner's database sessions terminated, a model that fails and hangs, and one of two
 * probe-runners killed. After each, {@link FaultRun#verify} holds the round's promises (nothing lost or duplicated,
 * one probe-run.completed, one review batch, the endpoint's cap kept). Every test puts back what it broke.
 */
@ExtendWith(SystemExtension.class)
class FaultsIT {

    private final SystemUnderTest system = SystemUnderTest.get();
    private Map<String, Object> knobs;
    private EventTap tap;
    private long startedNanos;

    @BeforeEach
    void tap() {
        knobs = SimulatorControl.knobs();
        tap = EventTap.on("probe-runner.events");
        startedNanos = System.nanoTime();
    }

    @AfterEach
    void restore(TestInfo test) {
        SimulatorControl.restore(knobs);
        tap.close();
        System.out.printf("[faults] %s took %.1f s%n", test.getDisplayName(), (System.nanoTime() - startedNanos) / 1e9);
    }

    @Test
    void probeRunnerKilledWithSigkillMidRunAndRestarted() {
        SimulatorControl.set(Map.of("latencyMs", 100, "jitterMs", 50));
        FaultRun run = FaultRun.prepare("kill9", 4, 5000).start();
        FaultRun.Progress before = run.awaitShare(0.3);
        ManagedProcess runner = system.process("probe-runner");
        try {
            runner.kill9();
        } finally {
            system.restartService("probe-runner", Map.of());
        }
        run.awaitRecovery("SIGKILL of probe-runner and restart", before);
        run.verify(tap, () -> SimulatorControl.maxInFlight(run.apiKey));
    }

    @Test
    void brokerStoppedForTwentySecondsAtAQuarterAndAtTwoThirdsOfTheRun() {
        SimulatorControl.set(Map.of("latencyMs", 100, "jitterMs", 50));
        FaultRun run = FaultRun.prepare("broker", 4, 5000).start();
        for (double share : List.of(0.25, 0.62)) {
            FaultRun.Progress before = run.awaitShare(share);
            BrokerOutage.hold(Duration.ofSeconds(20), () -> run.progress() != null);
            run.awaitRecovery("broker outage of 20 s at " + Math.round(share * 100) + " %", before);
        }
        run.verify(tap, () -> SimulatorControl.maxInFlight(run.apiKey));
    }

    @Test
    void probeRunnersDatabaseSessionsTerminatedThreeTimes() {
        SimulatorControl.set(Map.of("latencyMs", 100, "jitterMs", 50));
        FaultRun run = FaultRun.prepare("pg-terminate", 4, 5000).start();
        for (double share : List.of(0.2, 0.45, 0.7)) {
            FaultRun.Progress before = run.awaitShare(share);
            int ended = await("a probe-runner session to terminate").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> terminateSessions(SystemUnderTest.PROBE_RUNNER_DB_APPLICATION), n -> n > 0);
            System.out.printf("[faults] pg-terminate: %d probe-runner sessions terminated at %d %%%n", ended,
                    Math.round(share * 100));
            run.awaitRecovery("pg_terminate_backend at " + Math.round(share * 100) + " %", before);
        }
        run.verify(tap, () -> SimulatorControl.maxInFlight(run.apiKey));
    }

    @Test
    void aModelFailingOneCallInFiveAndHangingOneInFiftyStillCompletesTheRun() {
        SimulatorControl.set(Map.of("latencyMs", 20, "jitterMs", 0,
                "modelFaults", FaultRun.CANDIDATE_MODEL + ":0.2:0.02"));
        SimulatorControl.resetStats();
        FaultRun run = FaultRun.prepare("flaky-model", 4, 2000).start();
        List<Map<String, Object>> outputs = run.verify(tap, () -> SimulatorControl.maxInFlight(run.apiKey));

        List<Map<String, Object>> candidate = outputs.stream()
                .filter(o -> FaultRun.CANDIDATE_MODEL.equals(o.get("model"))).toList();
        assertEquals(FaultRun.PROBES, candidate.size());
        long retried = candidate.stream().filter(o -> ((Number) o.get("attempts")).intValue() > 1).count();
        assertTrue(retried > 0, "failed or hung calls were retried");
        for (Map<String, Object> o : outputs) {
            if ("error".equals(o.get("status"))) {
                assertEquals(FaultRun.CANDIDATE_MODEL, o.get("model"), "only the failing model errs: " + o);
                assertEquals(4, ((Number) o.get("attempts")).intValue(), "stored as an error after the last try: " + o);
                assertFalse(String.valueOf(o.get("error")).isBlank(), o.toString());
            }
        }
        long errors500 = SimulatorControl.modelCounter(FaultRun.CANDIDATE_MODEL, "errors500");
        long hangs = SimulatorControl.modelCounter(FaultRun.CANDIDATE_MODEL, "hangs");
        assertTrue(errors500 > 0 && hangs > 0, "the simulator failed " + errors500 + " and hung " + hangs + " calls");
        assertEquals(0, SimulatorControl.modelCounter("demo-base", "errors500"));
        System.out.printf("[faults] flaky-model: simulator answered 500 to %d and hung %d calls of %s; %d outputs "
                + "retried, %d stored as errors%n", errors500, hangs, FaultRun.CANDIDATE_MODEL, retried,
                outputs.stream().filter(o -> "error".equals(o.get("status"))).count());
    }

    @Test
    void twoProbeRunnersOneKilledTheSurvivorCompletesAndTakesOverEverySlot() {
        SimulatorControl.set(Map.of("latencyMs", 800, "jitterMs", 0));
        ManagedProcess second = system.startExtraProbeRunner("probe-runner-2", Ports.PROBE_RUNNER_2, Map.of());
        try {
            FaultRun run = FaultRun.prepare("two-runners", 4, 5000).start();
            await("both probe-runners hold slots of the endpoint").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(250)).until(() -> slotHolders(run.endpoint), n -> n == 2);
            FaultRun.Progress before = run.awaitShare(0.2);
            int peakBefore = SimulatorControl.maxInFlight(run.apiKey);
            second.kill9();
            long killed = System.nanoTime();
            SimulatorControl.resetStats();
            await("the survivor uses all " + run.cap + " slots after the kill").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> SimulatorControl.maxInFlight(run.apiKey) >= run.cap);
            System.out.printf("[faults] two-runners: the survivor took over every slot %.1f s after the kill%n",
                    (System.nanoTime() - killed) / 1e9);
            run.awaitRecovery("SIGKILL of the second probe-runner", before);
            run.verify(tap, () -> Math.max(peakBefore, SimulatorControl.maxInFlight(run.apiKey)));
        } finally {
            second.kill9();
        }
    }

    /** pg_terminate_backend of the system-test database's sessions named {@code applicationName}; how many ended. */
    static int terminateSessions(String applicationName) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             PreparedStatement ps = c.prepareStatement("""
                     select count(*) from (select pg_terminate_backend(pid) as ended from pg_stat_activity
                     where datname = ? and application_name = ? and pid <> pg_backend_pid()) t where ended""")) {
            ps.setString(1, SystemUnderTest.DATABASE);
            ps.setString(2, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Instances holding a live lease on a slot of the endpoint named {@code endpoint} (project demo). */
    static int slotHolders(String endpoint) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/" + SystemUnderTest.DATABASE, "postgres", "");
             PreparedStatement ps = c.prepareStatement("""
                     select count(distinct s.holder) from probes.endpoint_slots s
                     join probes.endpoints e on e.id = s.endpoint_id
                     where e.project = ? and e.name = ? and s.holder is not null and s.lease_until > now()""")) {
            ps.setString(1, Seed.PROJECT);
            ps.setString(2, endpoint);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
