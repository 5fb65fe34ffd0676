package dev.lookout.systemtests;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lookout.simulator.HostileServer;
import io.restassured.path.json.JsonPath;

/**
 * Model endpoints as an attack path, through the gateway with real Keycloak tokens: the services next to
 * probe-runner as "model servers", an answer of 6 MiB, an answer that drips a byte a second, and a server whose error
 * body carries a secret. The listeners run here, on the ports probe-runner's allowlist names
 * ({@link Ports#HOSTILE_FIRST}…{@link Ports#HOSTILE_LAST}).
 */
@ExtendWith(SystemExtension.class)
class AttackEndpointsIT {

    private static final String MARKER = "SECRET-MARKER-b41c";

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:5432", "http://127.0.0.1:15672/api", "http://127.0.0.1:18180/realms",
        "http://localhost:5432", "http://127.0.0.1:5672" })
    void localServicesCannotBeRegisteredAsModelEndpoints(String baseUrl) {
        String name = Seed.unique("attack");
        Api.gateway(Api.userToken("eve"))
                .body(Map.of("project", Seed.PROJECT, "name", name, "baseUrl", baseUrl))
                .when().post("/api/endpoints")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", is("baseUrl"))
                .body("errors[0].message", containsString("not on the endpoint allowlist"));
        Api.gateway(Api.userToken("vic")).queryParam("project", Seed.PROJECT).when().get("/api/endpoints")
                .then().statusCode(200).body("findAll { it.name == '" + name + "' }", hasSize(0));
    }

    @Test
    void aHugeAnswerIsCutAtTheCapAndTheOutputSaysSo() {
        try (HostileServer huge = HostileServer.huge(Ports.HOSTILE_FIRST, 6L * 1024 * 1024)) {
            String endpoint = endpoint(huge.baseUrl(), 2, 20_000);
            String runId = probeRun(endpoint, 2);
            JsonPath outputs = outputsOf(runId);
            assertEquals(2, outputs.getList("$").size());
            Api.gateway(Api.userToken("vic")).when().get("/api/probe-runs/" + runId + "/outputs").then()
                    .statusCode(200).body("status", everyItem(is("error")))
                    .body("finishReason", everyItem(is("truncated"))).body("text", everyItem(nullValue()))
                    .body("error", everyItem(containsString("longer than 262144 bytes")));
            assertEquals(2, huge.accepted());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> huge.open() == 0);
            assertEquals(2, huge.closedByClient(), "probe-runner closed both sockets");
        }
    }

    @Test
    void aDrippingAnswerIsAbortedAtTheDeadlineWithNoMoreSocketsThanTheCap() {
        try (HostileServer drip = HostileServer.drip(Ports.HOSTILE_FIRST + 1)) {
            String endpoint = endpoint(drip.baseUrl(), 2, 1500);
            String runId = probeRun(endpoint, 3);
            JsonPath outputs = outputsOf(runId);
            assertEquals(3, outputs.getList("$").size());
            assertEquals(List.of("error", "error", "error"), outputs.getList("status"));
            assertEquals(List.of("timed out after 1500 ms", "timed out after 1500 ms", "timed out after 1500 ms"),
                    outputs.getList("error"));
            int attempts = outputs.getList("attempts", Integer.class).stream().mapToInt(Integer::intValue).sum();
            assertEquals(attempts, drip.accepted(), "one connection per attempt");
            assertTrue(drip.peakOpen() >= 1 && drip.peakOpen() <= 2, "peak open sockets " + drip.peakOpen());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> drip.open() == 0);
            assertEquals(drip.accepted(), drip.closedByClient(), "every socket closed by probe-runner");
        }
    }

    @Test
    void aViewerNeverSeesTheServersBody() {
        String body = "{\"error\":\"" + MARKER + " password=hunter2\"}";
        try (HostileServer leaky = HostileServer.fixed(Ports.HOSTILE_LAST, 500, body)) {
            String endpoint = endpoint(leaky.baseUrl(), 1, 5000);
            String id = Api.gateway(Api.userToken("vic")).queryParam("project", Seed.PROJECT)
                    .when().get("/api/endpoints").then().statusCode(200).extract().jsonPath()
                    .getString("find { it.name == '" + endpoint + "' }.id");
            String health = Api.gateway(Api.userToken("vic")).when().get("/api/endpoints/" + id + "/health")
                    .then().statusCode(200).body("status", is("down")).body("httpStatus", is(500))
                    .extract().asString();
            assertFalse(health.contains(MARKER), health);
            assertTrue(leaky.accepted() >= 1, "the health check reached the listener");

            String runId = probeRun(endpoint, 1);
            String outputs = Api.gateway(Api.userToken("vic")).when().get("/api/probe-runs/" + runId + "/outputs")
                    .then().statusCode(200).body("[0].error", is("the model server answered HTTP 500"))
                    .extract().asString();
            assertFalse(outputs.contains(MARKER), outputs);
        }
    }

    /** An endpoint of demo on {@code baseUrl}, registered by eve (engineer); returns its name. */
    private static String endpoint(String baseUrl, int maxConcurrency, int timeoutMs) {
        String name = Seed.unique("hostile");
        Api.gateway(Api.userToken("eve"))
                .body(Map.of("project", Seed.PROJECT, "name", name, "baseUrl", baseUrl,
                        "maxConcurrency", maxConcurrency, "timeoutMs", timeoutMs))
                .when().post("/api/endpoints").then().statusCode(201);
        return name;
    }

    /** A probe run of {@code probes} questions against demo-base on the endpoint; waits until it completed. */
    private static String probeRun(String endpoint, int probes) {
        String eve = Api.userToken("eve");
        String suite = Seed.unique("hostile");
        Seed.suite(eve, Seed.PROJECT, suite, Seed.eightProbes().subList(0, probes));
        String id = Api.gateway(eve)
                .body(Map.of("project", Seed.PROJECT, "suite", suite,
                        "targets", List.of(Map.of("endpoint", endpoint, "model", "demo-base"))))
                .when().post("/api/probe-runs").then().statusCode(202).extract().path("id");
        Awaitility.await("probe run " + id + " completed").atMost(Seed.PROBE_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "completed".equals(Api.gateway(Api.trainingJobToken()).when()
                        .get("/api/probe-runs/" + id).then().statusCode(200).extract().path("status")));
        return id;
    }

    private static JsonPath outputsOf(String runId) {
        return Api.gateway(Api.userToken("vic")).when().get("/api/probe-runs/" + runId + "/outputs")
                .then().statusCode(200).extract().jsonPath();
    }
}
