package dev.lookout.proberunner.messaging;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.amqp;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitStatus;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.queueDepth;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.simulator.SimulatorConfig;
import dev.lookout.simulator.SimulatorServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;

/** The worker against dedicated simulators: concurrency cap, Retry-After, last attempt → error + DLQ. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class CallWorkerTest {

    private static final String DLQ = "test.probe-runner.calls.dlq";

    /** The dedicated simulators run on a Vert.x of their own (closing a server leaves it open). */
    private static final Vertx SIM_VERTX = Vertx.vertx();

    @AfterAll
    static void closeSimulatorVertx() {
        SIM_VERTX.close();
    }

    private static SimulatorServer simulator(SimulatorConfig config) {
        return SimulatorServer.start(SIM_VERTX, config);
    }

    @Test
    void shouldNeverExceedTheEndpointConcurrencyCap() {
        try (SimulatorServer slow = simulator(SimulatorConfig.defaults().withPort(0).withLatency(80, 40))) {
            String endpoint = unique("slow");
            createEndpoint(endpoint, slow.baseUrl(), 2);
            String suite = unique("cap");
            createSuite(suite, probes(8, "cap"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-600", "c"),
                    target(endpoint, "demo-base", "b")));
            JsonPath run = awaitCompleted(runId);
            assertEquals(16, run.getInt("counts.done"));
            assertEquals(16, slow.stats().requests());
            int peak = slow.stats().maxInFlight();
            assertTrue(peak >= 1 && peak <= 2, "maxInFlight=" + peak);
        }
    }

    @Test
    void shouldRetryRateLimitedCallsHonouringRetryAfter() {
        SimulatorConfig limited = SimulatorConfig.defaults().withPort(0).withFailureRates(1.0, 0, 0)
                .withRetryAfterSeconds(1);
        try (SimulatorServer sim = simulator(limited)) {
            String endpoint = unique("limited");
            createEndpoint(endpoint, sim.baseUrl(), 1);
            String suite = unique("retry");
            createSuite(suite, probes(1, "retry"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sim.stats().rejected429() >= 1);
            sim.config(sim.config().withFailureRates(0, 0, 0));
            awaitCompleted(runId);
            JsonPath outputs = as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                    .body("status", everyItem(is("done"))).extract().jsonPath();
            int attempts = outputs.getInt("[0].attempts");
            assertTrue(attempts >= 2 && attempts <= 4, "attempts=" + attempts);
            assertEquals(attempts, sim.stats().requests());
            assertEquals(attempts - 1, sim.stats().rejected429());
        }
    }

    @Test
    void shouldStoreTheErrorAndDeadLetterAfterTheLastAttempt() throws Exception {
        try (SimulatorServer broken = simulator(SimulatorConfig.defaults().withPort(0)
                .withFailureRates(0, 1.0, 0));
                Connection connection = amqp();
                Channel channel = connection.createChannel()) {
            channel.queuePurge(DLQ);
            String endpoint = unique("broken");
            createEndpoint(endpoint, broken.baseUrl(), 2);
            String suite = unique("fail");
            createSuite(suite, probes(1, "fail"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-200", "c"),
                    target(endpoint, "demo-base", "b")));
            // no answer from either target: the run fails with the reason instead of completing
            JsonPath run = awaitStatus(runId, "failed", Duration.ofSeconds(60));
            assertEquals(2, run.getInt("counts.error"));
            assertEquals(0, run.getInt("counts.done"));
            String reason = run.getString("failureReason");
            assertTrue(reason.startsWith("every call to the c (endpoint '" + endpoint + "', model 'demo-ckpt-200') "
                    + "failed (1 of 1); first error: ") && reason.contains("HTTP 500"), reason);
            as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                    .body("status", everyItem(is("error"))).body("attempts", everyItem(is(4)))
                    .body("error", everyItem(containsString("HTTP 500")));
            assertEquals(8, broken.stats().requests());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queueDepth(channel, DLQ) == 2);
            as(viewer()).get("/api/comparisons?probeRun=" + runId).then().statusCode(200)
                    .body("errors", is(1)).body("changed", is(0)).body("identicalToBaseline", is(false))
                    .body("items[0].candidate.error", containsString("HTTP 500"));
        }
    }

    @Test
    void shouldRetryTimeoutsThenStoreTheTimeout() {
        try (SimulatorServer hanging = simulator(SimulatorConfig.defaults().withPort(0).withFailureRates(0, 0, 1.0))) {
            String endpoint = unique("hang");
            as(engineer()).body(Map.of("project", PROJECT, "name", endpoint, "baseUrl", hanging.baseUrl(),
                    "maxConcurrency", 1, "timeoutMs", 300)).post("/api/endpoints").then().statusCode(201);
            String suite = unique("hang");
            createSuite(suite, probes(1, "hang"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
            assertTrue(awaitStatus(runId, "failed", Duration.ofSeconds(60)).getString("failureReason")
                    .contains("failed (1 of 1); first error: timed out"));
            as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                    .body("[0].status", is("error")).body("[0].attempts", is(4))
                    .body("[0].error", containsString("timed out"));
            assertEquals(4, hanging.stats().hangs());
        }
    }

    @Test
    void shouldCancelARunningProbeRun() {
        try (SimulatorServer slow = simulator(SimulatorConfig.defaults().withPort(0).withLatency(1000, 0))) {
            String endpoint = unique("cancel");
            createEndpoint(endpoint, slow.baseUrl(), 1);
            String suite = unique("cancel");
            createSuite(suite, probes(6, "cancel"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
            as(engineer()).post("/api/probe-runs/" + runId + "/cancel").then().statusCode(200)
                    .body("status", is("cancelled")).body("counts.pending", is(0));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> slow.stats().inFlight() == 0);
            as(viewer()).get("/api/probe-runs/" + runId).then().body("status", is("cancelled"));
            assertTrue(slow.stats().requests() < 6, "requests=" + slow.stats().requests());
            as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                    .body("findAll { it.status == 'cancelled' }.size()", org.hamcrest.Matchers.greaterThan(0));
        }
    }
}
