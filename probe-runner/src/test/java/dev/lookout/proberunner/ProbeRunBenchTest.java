package dev.lookout.proberunner;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.lookout.simulator.SimulatorConfig;
import dev.lookout.simulator.SimulatorServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The probe-run benchmark (not a test: excluded from the default run, see README "Bench"): 1,000 probes × 2
 * targets at concurrency 16 and 64, simulator latency 0 and 200 ms. Prints calls/s, Lookout CPU ms per call (this
 * JVM's CPU time minus the in-process simulator's event-loop thread and minus this test thread, the client that
 * starts the run and polls it; the server side of those requests stays counted), PostgreSQL + RabbitMQ CPU ms per call (from
 * /proc), and the ratio to the ideal (concurrency ÷ latency).
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ProbeRunBenchTest {

    private static final int PROBES = Integer.getInteger("bench.probes", 1000);

    @Inject
    DataSource dataSource;

    private static Vertx simVertx;
    private static SimulatorServer sim;
    private static long simThreadId;

    @BeforeAll
    static void startSimulator() throws Exception {
        // one event loop: the simulator runs on exactly one thread, whose CPU time we subtract
        simVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        sim = SimulatorServer.start(simVertx, SimulatorConfig.defaults().withPort(0));
        CompletableFuture<Long> id = new CompletableFuture<>();
        simVertx.runOnContext(v -> id.complete(Thread.currentThread().getId()));
        simThreadId = id.get();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
        simVertx.close();
    }

    @Test
    void bench() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-28s %8s %9s %10s %12s %12s %12s %8s", "scenario", "calls", "seconds", "calls/s",
                "cpu ms/call", "excl. JIT", "infra ms/call", "ideal %"));
        run("warm-up (not counted)", 64, 0, PROBES);
        for (int latency : new int[] { 0, 200 }) {
            for (int concurrency : new int[] { 16, 64 }) {
                lines.add(run("c=" + concurrency + " latency=" + latency + "ms", concurrency, latency, PROBES));
            }
        }
        String table = String.join("\n", lines);
        System.out.println("\n==== probe-runner bench (" + PROBES + " probes × 2 targets, "
                + Runtime.getRuntime().availableProcessors() + " cores) ====\n" + table + "\n");
        Files.writeString(Path.of("target", "bench.txt"), table + "\n");
    }

    private String run(String name, int concurrency, int latencyMs, int probes) throws Exception {
        sim.config(sim.config().withLatency(latencyMs, 0));
        String endpoint = unique("bench");
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("project", PROJECT);
        e.put("name", endpoint);
        e.put("baseUrl", sim.baseUrl());
        e.put("maxConcurrency", concurrency);
        e.put("timeoutMs", 30000);
        e.put("params", Map.of("max_tokens", 64));
        as(engineer()).body(e).post("/api/endpoints").then().statusCode(201);
        String suite = unique("bench");
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            list.add(Map.of("id", "b" + i, "messages", List.of(Map.of("role", "user", "content",
                    (i % 2 == 0 ? "Where is my order #" : "我的订单在哪里？编号") + i + " " + suite))));
        }
        as(engineer()).body(Map.of("project", PROJECT, "name", suite, "probes", list)).post("/api/suites").then()
                .statusCode(201);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // the client side (this thread: signing the token, RestAssured polling) is not Lookout's CPU either
        String token = engineer();
        long cpu0 = os.getProcessCpuTime() - threads.getThreadCpuTime(simThreadId) - threads.getCurrentThreadCpuTime();
        long infra0 = infraCpuMs();
        long jit0 = jitCpuMs();
        long t0 = System.nanoTime();
        String runId = as(token).body(Map.of("project", PROJECT, "suite", suite, "targets", List.of(
                Map.of("endpoint", endpoint, "model", "demo-ckpt-400"), Map.of("endpoint", endpoint, "model", "demo-base"))))
                .post("/api/probe-runs").then().statusCode(202).extract().path("id");
        // completion is watched in the database from this thread (its CPU is subtracted above): polling the REST API
        // at this rate would add the harness's own requests (token checks, JSON) to Lookout's CPU per call
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select status from probe_runs where id = ?")) {
            ps.setObject(1, UUID.fromString(runId));
            // polled in this thread, so its CPU stays in the subtracted share
            await().atMost(Duration.ofMinutes(10)).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() && "completed".equals(rs.getString(1));
                        }
                    });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpuNs = os.getProcessCpuTime() - threads.getThreadCpuTime(simThreadId) - threads.getCurrentThreadCpuTime()
                - cpu0;
        long infraMs = infraCpuMs() - infra0;
        long jitMs = jitCpuMs() - jit0;
        int calls = probes * 2;
        double rate = calls / seconds;
        String ideal = latencyMs == 0 ? "n/a" : String.format("%.0f", 100.0 * rate / (concurrency * 1000.0 / latencyMs));
        return String.format("%-28s %8d %9.2f %10.0f %12.3f %12.3f %12.3f %8s", name, calls, seconds, rate,
                cpuNs / 1e6 / calls, (cpuNs / 1e6 - jitMs) / calls, (double) infraMs / calls, ideal);
    }

    /**
     * CPU ms of this JVM's JIT compiler threads (C1/C2, from /proc/self/task): warm-up that keeps going on a loaded
     * machine, reported separately so the steady-state cost per call is visible.
     */
    private static long jitCpuMs() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10;
    }

    /** CPU ms of the PostgreSQL and RabbitMQ processes (utime + stime of /proc/<pid>/stat), 0 where unreadable. */
    private static long infraCpuMs() {
        long ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("postgres") || comm.startsWith("beam.smp")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10; // USER_HZ = 100
    }
}
