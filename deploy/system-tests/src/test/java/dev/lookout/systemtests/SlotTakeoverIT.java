package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * The cross-instance concurrency cap with two real probe-runner processes (the system's, and a second one started
 * here with {@link SystemUnderTest#startExtraProbeRunner} on the same database and broker) calling one model server
 * (a simulator started here: 1 s per answer, counts the requests it has in flight). Mid-run the second instance is
 * killed with SIGKILL: the survivor must take over the dead instance's slots within seconds — the endpoint's timeout
 * is 60 s, so waiting for the slot leases would take over a minute —, and the run must end with every answer stored
 * once, the cap never exceeded at the model server, and one probe-run.completed.
 */
@ExtendWith(SystemExtension.class)
class SlotTakeoverIT {

    /** The model server of this test: a port on probe-runner's allowlist that no other test uses at the same time. */
    private static final int MODEL_SERVER = Ports.HOSTILE_FIRST + 1;
    private static final int CAP = 4;
    private static final int PROBES = 40;
    private static final int CALLS = 2 * PROBES;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ManagedProcess> started = new ArrayList<>();

    @AfterEach
    void stopWhatThisTestStarted() {
        started.forEach(ManagedProcess::stop);
        started.clear();
    }

    @Test
    void theSurvivorTakesTheDeadInstancesSlotsWithinSecondsAndNothingIsLostOrDoubled() throws Exception {
        SystemUnderTest system = SystemUnderTest.get();
        startModelServer(system);
        ManagedProcess second = system.startExtraProbeRunner("takeover-probe-runner", Ports.PROBE_RUNNER_2, Map.of());
        started.add(second);
        String job = Api.trainingJobToken();
        String endpointName = Seed.unique("takeover");
        String endpointId = Api.gateway(job)
                .body(Map.of("project", Seed.PROJECT, "name", endpointName,
                        "baseUrl", "http://127.0.0.1:" + MODEL_SERVER, "maxConcurrency", CAP, "timeoutMs", 60_000,
                        "params", Map.of("temperature", 0, "max_tokens", 32, "seed", 7)))
                .when().post("/api/endpoints").then().statusCode(201).extract().path("id");
        String suite = Seed.unique("takeover");
        List<Map<String, Object>> probes = new ArrayList<>();
        for (int i = 0; i < PROBES; i++) {
            probes.add(Seed.probe("q" + i, "Question number " + i + ": where is my parcel?", List.of("orders")));
        }
        Seed.suite(job, Seed.PROJECT, suite, probes);
        String probeRun = Api.gateway(job)
                .body(Map.of("project", Seed.PROJECT, "suite", suite, "targets", List.of(
                        Map.of("endpoint", endpointName, "model", "demo-ckpt-600", "label", "candidate"),
                        Map.of("endpoint", endpointName, "model", "demo-base", "label", "baseline"))))
                .when().post("/api/probe-runs").then().statusCode(202).body("id", notNullValue()).extract().path("id");

        // both instances call: each holds slots of the endpoint
        await("both instances hold slots").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> liveHolders(endpointId).size() == 2);
        assertTrue(doneOutputs(probeRun) < CALLS / 2, "killed mid-run: " + doneOutputs(probeRun) + " done");

        long secondPid = second.pid();
        second.kill9();
        assertFalse(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false), "the second runner lives");
        long killed = System.nanoTime();
        await("the survivor holds every slot").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Map<String, Integer> holders = liveHolders(endpointId);
                    return holders.size() == 1 && holders.values().iterator().next() == CAP;
                });
        double slotsTakenS = (System.nanoTime() - killed) / 1e9;
        await("the survivor calls on every slot").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> modelServerStats().path("inFlight").asInt() == CAP);
        double callsOnAllS = (System.nanoTime() - killed) / 1e9;
        System.out.printf("[takeover] after kill -9: survivor held all %d slots after %.1f s, had %d calls in flight "
                + "after %.1f s (endpoint timeout 60 s)%n", CAP, slotsTakenS, CAP, callsOnAllS);
        // a correctness bound, not a benchmark: waiting for the leases would take over 70 s
        assertTrue(callsOnAllS < 15, "took " + callsOnAllS + " s");

        JsonPath run = awaitFinished(job, probeRun);
        assertEquals("completed", run.getString("status"));
        assertEquals(CALLS, run.getInt("total"));
        assertEquals(CALLS, run.getInt("counts.done"), "no answer lost");
        List<Map<String, Object>> outputs = Api.gateway(job).when().get("/api/probe-runs/" + probeRun + "/outputs")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(CALLS, outputs.size());
        Set<String> keys = new HashSet<>();
        for (Map<String, Object> o : outputs) {
            assertEquals("done", o.get("status"), String.valueOf(o));
            keys.add(o.get("probeId") + "/" + o.get("targetIndex") + "/" + o.get("sample"));
        }
        assertEquals(CALLS, keys.size(), "one output per probe, target and sample: none doubled");
        JsonNode stats = modelServerStats();
        System.out.printf("[takeover] model server: %d requests for %d answers (asked again: calls the killed "
                + "instance had in flight), at most %d in flight%n", stats.path("requests").asLong(), CALLS,
                stats.path("maxInFlight").asInt());
        int peak = stats.path("maxInFlight").asInt();
        assertTrue(peak >= 2 && peak <= CAP, "most requests in flight at the model server: " + peak);
        assertEquals(1, completedEvents(probeRun), "one probe-run.completed");
    }

    private void startModelServer(SystemUnderTest system) {
        started.add(system.startExtraSimulator("takeover-simulator", MODEL_SERVER, List.of("--latency-ms=1000")));
    }

    /** Live holder → slots of the endpoint it holds (lease and its instance's heartbeat both unexpired). */
    private static Map<String, Integer> liveHolders(String endpointId) throws SQLException {
        Map<String, Integer> holders = new java.util.TreeMap<>();
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement("""
                select s.holder, count(*) from probes.endpoint_slots s
                join probes.runner_instances i on i.instance_id = s.holder
                where s.endpoint_id = ? and s.lease_until > now() and i.alive_until > now()
                group by s.holder""")) {
            ps.setObject(1, UUID.fromString(endpointId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    holders.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return holders;
    }

    private static int doneOutputs(String probeRun) throws SQLException {
        return count("select count(*) from probes.outputs where probe_run_id = ? and status = 'done'", probeRun);
    }

    private static int completedEvents(String probeRun) throws SQLException {
        return count("select count(*) from probes.outbox where event_type = 'probe-run.completed' "
                + "and payload->>'probeRunId' = cast(? as text)", probeRun);
    }

    private static int count(String sql, String probeRun) throws SQLException {
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.fromString(probeRun));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + SystemUnderTest.DATABASE,
                "postgres", "");
    }

    private static JsonNode modelServerStats() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + MODEL_SERVER + "/admin/stats")).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static JsonPath awaitFinished(String token, String probeRun) {
        JsonPath[] last = new JsonPath[1];
        await("probe run " + probeRun + " finished").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    last[0] = Api.gateway(token).when().get("/api/probe-runs/" + probeRun).then().statusCode(200)
                            .extract().jsonPath();
                    String status = last[0].getString("status");
                    return !status.equals("queued") && !status.equals("running");
                });
        return last[0];
    }
}
