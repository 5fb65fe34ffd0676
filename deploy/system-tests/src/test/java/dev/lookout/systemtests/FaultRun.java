package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * One probe run under a fault: a run whose checkpoint (demo-ckpt-600) and baseline (demo-base) are served by a fresh
 * endpoint with its own API key and concurrency cap on the simulator, a suite of {@value #PROBES} probes, so
 * {@value #CALLS} calls. {@link #verify} checks the round's promises: nothing lost, nothing duplicated, exactly one
 * probe-run.completed (by eventId), one review batch, the cap never exceeded.
 */
final class FaultRun {

    static final int PROBES = 150;
    static final int CALLS = PROBES * 2;
    static final String CANDIDATE_MODEL = "demo-ckpt-600";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    final String label;
    final String apiKey;
    final int cap;
    final String runId;
    final String endpoint;
    private String probeRunId;
    private final long createdNanos = System.nanoTime();

    /** Done plus error outputs of the probe run at one moment. */
    record Progress(int total, int finished, String status) {
        double share() {
            return total == 0 ? 0 : (double) finished / total;
        }
    }

    private FaultRun(String label, String apiKey, int cap, String endpoint, String runId) {
        this.label = label;
        this.apiKey = apiKey;
        this.cap = cap;
        this.endpoint = endpoint;
        this.runId = runId;
    }

    /** Endpoint (cap {@code cap}, call timeout {@code timeoutMs}), suite and run; no probe run yet. */
    static FaultRun prepare(String label, int cap, int timeoutMs) {
        String token = Api.trainingJobToken();
        String endpoint = Seed.unique("fault-" + label);
        String apiKey = Seed.unique("it-key-" + label);
        Api.gateway(token)
                .body(Map.of("project", Seed.PROJECT, "name", endpoint, "baseUrl", SystemUnderTest.SIMULATOR_URL,
                        "apiKey", apiKey, "maxConcurrency", cap, "timeoutMs", timeoutMs,
                        "params", Map.of("temperature", 0, "max_tokens", 64, "seed", 7)))
                .when().post("/api/endpoints").then().statusCode(201);
        String suite = Seed.unique("fault-suite");
        Seed.suite(token, Seed.PROJECT, suite, probes());
        String run = Seed.run(token, Seed.unique("fault-" + label), endpoint, suite);
        return new FaultRun(label, apiKey, cap, endpoint, run);
    }

    /** {@value #PROBES} distinct customer-service questions, alternating English and Chinese. */
    static List<Map<String, Object>> probes() {
        List<Map<String, Object>> probes = new ArrayList<>();
        for (int i = 0; i < PROBES; i++) {
            String question = i % 2 == 0
                    ? String.format("Ticket %d: order #%05d has not shipped after %d days. What can you do?", i, 40000 + i, 2 + i % 9)
                    : String.format("工单%d：订单%05d已经%d天没有发货了，怎么办？", i, 40000 + i, 2 + i % 9);
            probes.add(Seed.probe(String.format("q-%03d", i), question, List.of("orders", i % 2 == 0 ? "en" : "zh")));
        }
        return probes;
    }

    /** Registers the checkpoint (ingest → checkpoint.registered → probe-runner) and waits for its probe run. */
    FaultRun start() {
        registerCheckpoint();
        return awaitProbeRun();
    }

    /** Registers the checkpoint only: its event makes probe-runner create the probe run. */
    void registerCheckpoint() {
        Seed.checkpoint(Api.trainingJobToken(), runId, 600, endpoint, CANDIDATE_MODEL);
    }

    /** Waits until the run has its probe run (probe-runner may be briefly unreachable meanwhile). */
    FaultRun awaitProbeRun() {
        probeRunId = await(label + ": the probe run of run " + runId).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Response r = Api.gateway(Api.trainingJobToken()).queryParam("project", Seed.PROJECT)
                            .queryParam("run", runId).when().get("/api/probe-runs");
                    return r.statusCode() == 200 ? r.jsonPath().<String>getList("id") : List.<String>of();
                }, ids -> !ids.isEmpty())
                .get(0);
        return this;
    }

    String probeRunId() {
        return probeRunId;
    }

    /** The probe run's progress; null while the API cannot answer (e.g. probe-runner is down). */
    Progress progress() {
        Response r = Api.gateway(Api.trainingJobToken()).when().get("/api/probe-runs/" + probeRunId);
        if (r.statusCode() != 200) {
            return null;
        }
        JsonPath p = r.jsonPath();
        Progress progress = new Progress(p.getInt("total"), p.getInt("counts.done") + p.getInt("counts.error"),
                p.getString("status"));
        if (List.of("failed", "cancelled").contains(progress.status())) {
            throw new AssertionError(label + ": probe run " + progress.status() + ": " + p.prettify());
        }
        return progress;
    }

    /** Waits until at least {@code share} of the calls are finished; returns that progress. */
    Progress awaitShare(double share) {
        return await(label + ": " + Math.round(share * 100) + " % of probe run " + probeRunId).atMost(RUN_TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).until(this::progress, p -> p != null && p.share() >= share);
    }

    /** Waits until more calls are finished than at {@code before}; prints and returns how long that took from now. */
    Duration awaitRecovery(String fault, Progress before) {
        long t0 = System.nanoTime();
        await(label + ": progress after " + fault).atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(this::progress, p -> p != null && (p.finished() > before.finished() || "completed".equals(p.status())));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("[faults] %s: %s → progress again after %.1f s (was %d/%d)%n", label, fault,
                took.toMillis() / 1000.0, before.finished(), before.total());
        return took;
    }

    Progress awaitCompleted() {
        return await(label + ": probe run " + probeRunId + " completed").atMost(RUN_TIMEOUT)
                .pollInterval(Duration.ofMillis(500)).until(this::progress, p -> p != null && "completed".equals(p.status()));
    }

    /**
     * The promises after the fault: the run completed with every call answered once ({@value #CALLS} outputs, no two
     * for the same probe, target and sample, none pending), exactly one probe-run.completed by eventId (the raw queue
     * may hold a re-sent copy, with the same eventId), one review batch, and never more than {@code cap} calls in
     * flight on the endpoint. {@code maxInFlight} is read once the run has completed, so the peak covers the whole
     * run (reading it before would miss the calls after the fault, or all of them on a run that has not begun yet).
     * Returns the outputs.
     */
    List<Map<String, Object>> verify(EventTap tap, IntSupplier maxInFlight) {
        Progress done = awaitCompleted();
        int maxInFlightSeen = maxInFlight.getAsInt();
        assertEquals(CALLS, done.total(), label);
        assertEquals(CALLS, done.finished(), label + ": every call finished (done or error)");

        List<Map<String, Object>> outputs = Api.gateway(Api.userToken("eve")).when()
                .get("/api/probe-runs/" + probeRunId + "/outputs").then().statusCode(200).extract().jsonPath().getList("$");
        Set<String> keys = new HashSet<>();
        for (Map<String, Object> o : outputs) {
            keys.add(o.get("probeId") + "/" + o.get("targetIndex") + "/" + o.get("sample"));
            assertTrue(List.of("done", "error").contains(o.get("status")), label + ": " + o);
        }
        assertEquals(CALLS, outputs.size(), label + ": outputs of the probe run (lost or duplicated)");
        assertEquals(CALLS, keys.size(), label + ": distinct (probe, target, sample)");

        await(label + ": probe-run.completed on the tap").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> tap.eventIds("probe-run.completed", "probeRunId", probeRunId), ids -> !ids.isEmpty());
        String batch = Seed.awaitReviewBatch(null, Seed.PROJECT, probeRunId);
        List<String> batches = Api.gateway(Api.trainingJobToken()).queryParam("project", Seed.PROJECT)
                .when().get("/api/review-batches").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.probeRunId == '" + probeRunId + "' }.id");
        assertEquals(List.of(batch), batches, label + ": one review batch of the probe run");
        Set<String> completed = tap.eventIds("probe-run.completed", "probeRunId", probeRunId);
        List<EventTap.Delivery> raw = tap.raw("probe-run.completed", "probeRunId", probeRunId);
        assertEquals(1, completed.size(), label + ": distinct probe-run.completed events: " + raw);
        raw.forEach(d -> assertEquals(completed.iterator().next(), d.eventId(), label + ": a re-sent copy keeps its eventId"));

        assertTrue(maxInFlightSeen <= cap, label + ": " + maxInFlightSeen + " calls in flight, cap " + cap);
        assertNotEquals(0, maxInFlightSeen, label + ": the simulator saw the endpoint's calls");
        System.out.printf("[faults] %s: probe run %s completed in %.1f s: %d outputs (%d errors), "
                        + "probe-run.completed %d× raw / 1 by eventId, review batch %s, max in flight %d of cap %d%n",
                label, probeRunId, (System.nanoTime() - createdNanos) / 1e9, outputs.size(),
                outputs.stream().filter(o -> "error".equals(o.get("status"))).count(), raw.size(), batch,
                maxInFlightSeen, cap);
        return outputs;
    }
}
