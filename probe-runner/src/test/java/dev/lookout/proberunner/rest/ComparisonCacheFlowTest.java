package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.otherProjectEngineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.token;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.simulator.SimulatorConfig;
import dev.lookout.simulator.SimulatorServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;

/** Cached comparisons, per-project comparison settings, semantic similarity and the ETA of a running probe run. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class ComparisonCacheFlowTest {

    private static final Vertx SIM_VERTX = Vertx.vertx();

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    @Inject
    MeterRegistry metrics;

    @Inject
    DataSource dataSource;

    @AfterAll
    static void closeSimulatorVertx() {
        SIM_VERTX.close();
    }

    @Test
    void shouldServeTheSecondComparisonFromTheCacheUntilAnOutputChanges() throws Exception {
        String endpoint = unique("cache");
        createEndpoint(endpoint, simulatorUrl, 4);
        String suite = unique("cache");
        String versionId = createSuite(suite, probes(6, "cache")).getString("versionId");
        String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-400", "c"),
                target(endpoint, "demo-base", "b")));
        awaitCompleted(runId);

        // ?probeRun=: computed once, then served from the cache
        double hits = count("cache");
        JsonPath first = compare("probeRun=" + runId);
        JsonPath second = compare("probeRun=" + runId);
        assertEquals(first.getString("computedAt"), second.getString("computedAt"));
        assertEquals(first.getList("items"), second.getList("items"));
        assertTrue(count("cache") >= hits + 1, "a cache hit is counted");
        assertNull(first.get("semantic"));
        assertNull(first.get("items[0].semanticSimilarity"));

        // an updated output of the run invalidates it: recomputed with the new answer
        String probeId = first.getString("items[0].probeId");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update outputs set text = 'A rewritten answer about something else entirely.', completed_at = now()
                where probe_run_id = ? and probe_id = ? and target_index = 0 and sample = 0""")) {
            ps.setObject(1, UUID.fromString(runId));
            ps.setString(2, probeId);
            assertEquals(1, ps.executeUpdate());
        }
        JsonPath third = compare("probeRun=" + runId);
        assertTrue(Instant.parse(third.getString("computedAt")).isAfter(Instant.parse(first.getString("computedAt"))));
        assertEquals("A rewritten answer about something else entirely.", third.getString("items[0].candidate.text"));
        assertEquals(third.getString("computedAt"), compare("probeRun=" + runId).getString("computedAt"));

        // ?suiteVersion=&candidate=&baseline=: cached too, and a new output of either target (a later run) invalidates
        String byTargets = "suiteVersion=" + versionId + "&candidate=" + endpoint + "/demo-ckpt-400&baseline="
                + endpoint + "/demo-base";
        JsonPath t1 = compare(byTargets);
        assertEquals(t1.getString("computedAt"), compare(byTargets).getString("computedAt"));
        String later = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
        awaitCompleted(later);
        JsonPath t2 = compare(byTargets);
        assertNotEquals(t1.getString("computedAt"), t2.getString("computedAt"));
        assertEquals(t1.getInt("total"), t2.getInt("total"));
        assertEquals(t2.getString("computedAt"), compare(byTargets).getString("computedAt"));

        // a cached row that no longer reads as a comparison is computed again (and replaced), never served as null
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update comparisons set result = '{"items": "not a list"' where suite_version_id = ?
                and probe_run_id = '00000000-0000-0000-0000-000000000000'""")) {
            ps.setObject(1, UUID.fromString(versionId));
            assertEquals(1, ps.executeUpdate());
        }
        JsonPath t3 = compare(byTargets);
        assertTrue(Instant.parse(t3.getString("computedAt")).isAfter(Instant.parse(t2.getString("computedAt"))));
        assertEquals(t2.getInt("total"), t3.getInt("total"));
        assertEquals(t2.getList("items").size(), t3.getList("items").size());
        assertEquals(t3.getString("computedAt"), compare(byTargets).getString("computedAt"));
    }

    @Test
    void shouldStoreTheRunsComparisonSummaryAfterItCompletesWithoutBeingRead() throws Exception {
        String endpoint = unique("summary");
        createEndpoint(endpoint, simulatorUrl, 4);
        String suite = unique("summary");
        createSuite(suite, probes(4, "summary"));
        String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-400", "c"),
                target(endpoint, "demo-base", "b")));
        // watched in the database only: no GET of the run (which would fill a missing summary itself)
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select status, cmp_total, cmp_changed from probe_runs where id = ?")) {
            ps.setObject(1, UUID.fromString(runId));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (var rs = ps.executeQuery()) {
                    return rs.next() && "completed".equals(rs.getString(1)) && rs.getObject(2) != null;
                }
            });
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(4, rs.getInt(2));
            }
        }
        as(viewer()).get("/api/probe-runs/" + runId).then().statusCode(200).body("comparison.total", is(4))
                .body("eta", nullValue());
    }

    @Test
    void shouldKeepComparisonSettingsPerProject() {
        String project = unique("settings");
        String engineer = token("erin", List.of("engineer"), project);
        String viewer = token("val", List.of("viewer"), project);
        String path = "/api/projects/" + project + "/comparison-settings";

        as(viewer).get(path).then().statusCode(200).body("semanticSimilarity", is(false));
        as(viewer).body(Map.of("semanticSimilarity", true)).put(path).then().statusCode(403);
        as(otherProjectEngineer()).get(path).then().statusCode(404);
        as(otherProjectEngineer()).body(Map.of("semanticSimilarity", true)).put(path).then().statusCode(404);
        as(engineer).body(Map.of()).put(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("semanticSimilarity"));
        as(engineer).body("{\"semanticSimilarity\": \"maybe\"}").put(path).then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString(
                        "semanticSimilarity"));

        as(engineer).body(Map.of("semanticSimilarity", true)).put(path).then().statusCode(200)
                .body("semanticSimilarity", is(true));
        as(viewer).get(path).then().statusCode(200).body("semanticSimilarity", is(true));
        // the other project is untouched
        as(viewer()).get("/api/projects/" + PROJECT + "/comparison-settings").then().statusCode(200)
                .body("semanticSimilarity", is(false));
        as(engineer).body(Map.of("semanticSimilarity", false)).put(path).then().statusCode(200);
        as(viewer).get(path).then().statusCode(200).body("semanticSimilarity", is(false));
    }

    @Test
    void shouldAddSemanticSimilarityWhenTheProjectTurnsItOn() {
        String project = unique("sem");
        String engineer = token("erin", List.of("engineer"), project);
        String endpoint = unique("sem");
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("project", project);
        e.put("name", endpoint);
        e.put("baseUrl", simulatorUrl);
        e.put("maxConcurrency", 4);
        e.put("params", Map.of("max_tokens", 128, "seed", 7));
        as(engineer).body(e).post("/api/endpoints").then().statusCode(201);
        String suite = unique("sem");
        as(engineer).body(Map.of("project", project, "name", suite, "probes", probes(6, "sem"))).post("/api/suites")
                .then().statusCode(201);
        String runId = as(engineer).body(Map.of("project", project, "suite", suite, "targets",
                List.of(target(endpoint, "demo-ckpt-600", "c"), target(endpoint, "demo-base", "b"))))
                .post("/api/probe-runs").then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "completed"
                .equals(as(engineer).get("/api/probe-runs/" + runId).then().extract().path("status")));

        JsonPath off = as(engineer).get("/api/comparisons?probeRun=" + runId).then().statusCode(200).extract()
                .jsonPath();
        assertNull(off.get("semantic"));

        as(engineer).body(Map.of("semanticSimilarity", true))
                .put("/api/projects/" + project + "/comparison-settings").then().statusCode(200);
        JsonPath on = as(engineer).get("/api/comparisons?probeRun=" + runId).then().statusCode(200)
                .body("items.semanticSimilarity", everyItem(notNullValue()))
                .body("items.semanticSimilarity", everyItem(lessThanOrEqualTo(1.0f)))
                .body("items.semanticModel", hasItem("all-minilm-l6-v2-q"))
                .body("items.semanticModel", hasItem("bge-small-zh-v1.5-q"))
                .body("semantic.scored", is(6)).body("semantic.mean", greaterThan(0.0f))
                .body("semantic.models.'bge-small-zh-v1.5-q'", greaterThan(0))
                .extract().jsonPath();
        assertTrue(on.getDouble("semantic.min") <= on.getDouble("semantic.mean"));
        assertEquals(off.getInt("changed"), on.getInt("changed"));
        // cached with the embeddings: the second semantic call is not recomputed
        assertEquals(on.getString("computedAt"), as(engineer).get("/api/comparisons?probeRun=" + runId).then()
                .statusCode(200).extract().path("computedAt"));
        // switched off again: the plain comparison, still cached from before
        as(engineer).body(Map.of("semanticSimilarity", false))
                .put("/api/projects/" + project + "/comparison-settings").then().statusCode(200);
        as(engineer).get("/api/comparisons?probeRun=" + runId).then().statusCode(200)
                .body("semantic", nullValue()).body("computedAt", is(off.getString("computedAt")));
    }

    @Test
    void shouldEstimateTheTimeLeftWhileRunningAndDropItWhenFinished() {
        try (SimulatorServer slow = SimulatorServer.start(SIM_VERTX,
                SimulatorConfig.defaults().withPort(0).withLatency(100, 0))) {
            String endpoint = unique("eta");
            createEndpoint(endpoint, slow.baseUrl(), 2);
            String suite = unique("eta");
            createSuite(suite, probes(40, "eta"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-200", "c"),
                    target(endpoint, "demo-base", "b")));
            // 80 calls at 2 in flight and 100 ms each: ≈ 4 s, an estimate once ≥ 1 s and ≥ 5 calls have passed
            JsonPath[] seen = new JsonPath[1];
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                seen[0] = as(engineer()).get("/api/probe-runs/" + runId).then().statusCode(200).extract().jsonPath();
                return seen[0].get("eta") != null || "completed".equals(seen[0].getString("status"));
            });
            JsonPath running = seen[0];
            assertEquals("running", running.getString("status"), "an estimate was given while running");
            assertTrue(running.getDouble("eta.callsPerSecond") > 0, running.prettify());
            assertTrue(running.getDouble("eta.seconds") > 0, running.prettify());
            // at most 2 in flight at 100 ms: never more than 20 calls/s (with some slack for rounding)
            assertTrue(running.getDouble("eta.callsPerSecond") <= 25, running.prettify());

            JsonPath done = awaitCompleted(runId);
            assertNull(done.get("eta"));
        }
    }

    private static JsonPath compare(String query) {
        return as(engineer()).get("/api/comparisons?" + query).then().statusCode(200)
                .body("computedAt", notNullValue()).extract().jsonPath();
    }

    private double count(String source) {
        var c = metrics.find("lookout.comparisons").tag("source", source).counter();
        return c == null ? 0 : c.count();
    }
}
