package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.amqp;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.otherProjectEngineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.token;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.sun.net.httpserver.HttpServer;

import dev.lookout.contracts.EventContracts;
import dev.lookout.proberunner.ProbeRunnerFixtures;
import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/** Per-project quotas: 429 with Retry-After, nothing stored, admin-only settings, auto-probes recorded as failed. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class QuotaResourceTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    private static String admin() {
        return token("ada", List.of("admin"));
    }

    /** A fresh project (admin sees every project key) with an endpoint and a suite of three probes. */
    private static String project(String baseUrl, int timeoutMs) {
        String project = unique("quota");
        Map<String, Object> endpoint = new LinkedHashMap<>(Map.of("project", project, "name", "sim", "baseUrl",
                baseUrl, "maxConcurrency", 4, "timeoutMs", timeoutMs, "params", Map.of("max_tokens", 32, "seed", 7)));
        endpoint.put("immutableModels", true); // a model name always serves the same weights: answers are reused
        as(admin()).body(endpoint).post("/api/endpoints").then().statusCode(201);
        as(admin()).body(Map.of("project", project, "name", "three", "probes", probes(3, "quota")))
                .post("/api/suites").then().statusCode(201);
        return project;
    }

    private static Response startRun(String project, String model) {
        return as(admin()).body(Map.of("project", project, "suite", "three", "targets",
                List.of(Map.of("endpoint", "sim", "model", model)))).post("/api/probe-runs");
    }

    private static void setQuotas(String project, Integer inFlight, Integer perDay, Integer perRun) {
        Map<String, Object> body = new HashMap<>();
        body.put("maxInFlight", inFlight);
        body.put("maxCallsPerDay", perDay);
        body.put("maxCallsPerRun", perRun);
        as(admin()).body(body).put("/api/projects/" + project + "/quotas").then().statusCode(200);
    }

    private static int runsOf(String project) {
        return as(admin()).get("/api/probe-runs?project=" + project).then().statusCode(200).extract().jsonPath()
                .getList("id").size();
    }

    @Test
    void shouldLetViewersReadAndOnlyAdminsChangeQuotas() {
        as(viewer()).get("/api/projects/demo/quotas").then().statusCode(200).body("project", is("demo"))
                .body("maxInFlight", is(20000)).body("maxCallsPerDay", is(200000)).body("maxCallsPerRun", is(20000));
        as(otherProjectEngineer()).get("/api/projects/demo/quotas").then().statusCode(404);
        as(engineer()).body(Map.of("maxCallsPerDay", 1)).put("/api/projects/demo/quotas").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        as(viewer()).body(Map.of("maxCallsPerDay", 1)).put("/api/projects/demo/quotas").then().statusCode(403);
        String project = unique("quota");
        as(admin()).body(Map.of("maxCallsPerDay", -1)).put("/api/projects/" + project + "/quotas").then()
                .statusCode(400).body("errors[0].field", is("maxCallsPerDay"));
        as(admin()).body(Map.of("maxCallsPerDay", 50)).put("/api/projects/" + project + "/quotas").then()
                .statusCode(200).body("maxCallsPerDay", is(50)).body("overrides.maxCallsPerDay", is(50))
                .body("overrides.maxInFlight", nullValue()).body("maxInFlight", is(20000))
                .body("updatedBy", is("ada")).body("inFlight", is(0)).body("callsLast24h", is(0));
        as(admin()).body(Map.of()).put("/api/projects/" + project + "/quotas").then().statusCode(200)
                .body("maxCallsPerDay", is(200000)).body("overrides.maxCallsPerDay", nullValue())
                .body("updatedBy", nullValue());
    }

    @Test
    void shouldRefuseTheRunOverTheDailyQuotaWith429AndStoreNothing() {
        String project = project(simulatorUrl, 5000);
        setQuotas(project, null, 6, null);
        String first = startRun(project, "demo-ckpt-1").then().statusCode(202).extract().path("id");
        startRun(project, "demo-ckpt-2").then().statusCode(202);
        Response refused = startRun(project, "demo-ckpt-3");
        refused.then().statusCode(429).contentType(startsWith("application/problem+json"))
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("status", is(429)).body("detail", allOf(containsString("24-hour quota of project " + project
                        + " is 6 calls (maxCallsPerDay)"), containsString("6 are already used")));
        assertTrue(Long.parseLong(refused.header("Retry-After")) <= 24 * 3600, refused.header("Retry-After"));
        assertEquals(2, runsOf(project), "a refused run stores nothing");
        as(admin()).get("/api/projects/" + project + "/quotas").then().statusCode(200)
                .body("callsLast24h", is(6));

        // answers reused from a completed run are not calls: the same target again fits in a full quota
        ProbeRunnerFixtures.awaitCompletedAs(admin(), first);
        startRun(project, "demo-ckpt-1").then().statusCode(202);
        assertEquals(3, runsOf(project));

        setQuotas(project, null, 1000, 2);
        startRun(project, "demo-ckpt-4").then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("per-run cap of project " + project + " (maxCallsPerRun = 2)"));
        setQuotas(project, null, 2, null);
        startRun(project, "demo-ckpt-5").then().statusCode(422).body("detail", containsString("more than the whole"));
        assertEquals(3, runsOf(project));
    }

    @Test
    void shouldCountCallsInFlightUntilTheyFinishOrAreCancelled() throws IOException, InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(Executors.newCachedThreadPool());
        silent.createContext("/", exchange -> {
            try {
                release.await(2, TimeUnit.MINUTES); // a model server that never answers while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            String project = project("http://127.0.0.1:" + silent.getAddress().getPort(), 60_000);
            setQuotas(project, 4, null, null);
            String first = startRun(project, "slow-1").then().statusCode(202).extract().path("id");
            startRun(project, "slow-2").then().statusCode(429).header("Retry-After", is("60"))
                    .body("detail", allOf(containsString("in-flight quota of project " + project + " is 4 calls"),
                            containsString("3 are already used")));
            as(admin()).get("/api/projects/" + project + "/quotas").then().statusCode(200).body("inFlight", is(3));
            as(admin()).post("/api/probe-runs/" + first + "/cancel").then().statusCode(200);
            String second = startRun(project, "slow-2").then().statusCode(202).extract().path("id");
            as(admin()).post("/api/probe-runs/" + second + "/cancel").then().statusCode(200);
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    void shouldRecordAnAutoProbeOverQuotaAsAFailedRun() throws Exception {
        String project = project(simulatorUrl, 5000);
        setQuotas(project, null, 0, null);
        String runId = UUID.randomUUID().toString();
        // the contract's example (deploy/contracts) with this test's project, ids and targets
        JsonObject event = new JsonObject(EventContracts.exampleWith("checkpoint.registered", 1, "with-suite",
                EventContracts.values("eventId", UUID.randomUUID().toString(), "project", project, "runId", runId,
                        "checkpointId", UUID.randomUUID().toString(), "step", 100, "suite", "three",
                        "target.endpoint", "sim", "target.model", "demo-ckpt-100",
                        "baseline.endpoint", "sim", "baseline.model", "demo-base")));
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            channel.basicPublish("test.ingest.events", "checkpoint.registered",
                    new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                    event.encode().getBytes(StandardCharsets.UTF_8));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> as(admin())
                .get("/api/probe-runs?project=" + project + "&run=" + runId).then().extract().jsonPath()
                .getList("id").size() == 1);
        JsonPath run = as(admin()).get("/api/probe-runs?project=" + project + "&run=" + runId).then().extract()
                .jsonPath();
        assertEquals("failed", run.getString("[0].status"));
        String reason = run.getString("[0].failureReason");
        assertTrue(reason.startsWith("refused by a quota") && reason.contains("maxCallsPerDay = 0"), reason);
        as(admin()).get("/api/projects/" + project + "/quotas").then().statusCode(200).body("callsLast24h", is(0));
    }
}
