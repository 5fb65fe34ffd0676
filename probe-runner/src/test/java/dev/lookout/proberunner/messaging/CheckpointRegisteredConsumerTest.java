package dev.lookout.proberunner.messaging;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.amqp;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.lookout.contracts.EventContracts;
import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.core.json.JsonObject;

/** checkpoint.registered published on the real broker starts a probe run whose completion is published. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class CheckpointRegisteredConsumerTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    private static JsonObject event(String runId, String checkpointId, String endpoint, String suite) {
        return event(runId, checkpointId, endpoint, suite, "demo-ckpt-400");
    }

    /**
     * The contract's example of checkpoint.registered (deploy/contracts) with this test's ids and names in it, plus a
     * field no version declares (consumers ignore unknown fields).
     */
    private static JsonObject event(String runId, String checkpointId, String endpoint, String suite, String model) {
        return new JsonObject(EventContracts.exampleWith("checkpoint.registered", 1, "with-suite", EventContracts.values(
                "eventId", UUID.randomUUID().toString(), "project", PROJECT, "runId", runId,
                "checkpointId", checkpointId, "step", 400, "suite", suite, "target.endpoint", endpoint, "target.model", model,
                "baseline.endpoint", endpoint, "baseline.model", "demo-base")))
                .put("someFutureField", "ignored");
    }

    private static void publish(Channel channel, JsonObject event) throws Exception {
        channel.basicPublish("test.ingest.events", "checkpoint.registered",
                new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                        .messageId(event.getString("eventId")).build(),
                event.encode().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldProbeARegisteredCheckpointOnceAndPublishCompletion() throws Exception {
        String endpoint = unique("auto");
        createEndpoint(endpoint, simulatorUrl, 4);
        String suite = unique("auto");
        createSuite(suite, probes(3, "auto"));
        String runId = UUID.randomUUID().toString();
        String checkpointId = UUID.randomUUID().toString();
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            String q = channel.queueDeclare().getQueue();
            channel.queueBind(q, "test.probe-runner.events", "probe-run.completed");
            JsonObject event = event(runId, checkpointId, endpoint, suite);
            publish(channel, event);
            publish(channel, event); // a duplicate delivery of the same event

            List<JsonObject> completed = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                var got = channel.basicGet(q, true);
                if (got != null) {
                    JsonObject e = new JsonObject(new String(got.getBody(), StandardCharsets.UTF_8));
                    if (checkpointId.equals(e.getString("checkpointId"))) {
                        completed.add(e);
                    }
                }
                return !completed.isEmpty();
            });
            JsonObject done = completed.get(0);
            EventContracts.assertValid(done.encode()); // what review-service and the gateway receive
            assertEquals(runId, done.getString("runId"));
            assertEquals(400L, done.getLong("step"));
            assertEquals("demo-ckpt-400", done.getJsonObject("candidate").getString("model"));
            assertEquals("demo-base", done.getJsonObject("baseline").getString("model"));
            assertEquals(6, done.getInteger("total"));
            assertNotNull(done.getString("suiteVersionId"));
            assertNotNull(done.getString("eventId"));

            List<Object> runs = as(viewer()).get("/api/probe-runs?project=demo&run=" + runId).then()
                    .statusCode(200).extract().jsonPath().getList("id");
            assertEquals(1, runs.size(), "one probe run despite the duplicate event");
            as(viewer()).get("/api/probe-runs/" + done.getString("probeRunId")).then().statusCode(200)
                    .body("checkpointId", org.hamcrest.Matchers.is(checkpointId))
                    .body("step", org.hamcrest.Matchers.is(400));
        }
    }

    @Test
    void shouldRecordAFailedProbeRunWhenTheSuiteOrEndpointIsMissing() throws Exception {
        String runId = UUID.randomUUID().toString();
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            publish(channel, event(runId, UUID.randomUUID().toString(), "unknown-endpoint", "unknown-suite"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> as(viewer())
                .get("/api/probe-runs?run=" + runId).then().extract().jsonPath().getList("id").size() == 1);
        var run = as(viewer()).get("/api/probe-runs?run=" + runId).then().extract().jsonPath();
        assertEquals("failed", run.getString("[0].status"));
        String reason = run.getString("[0].failureReason");
        assertTrue(reason.contains("unknown-endpoint") && reason.contains("unknown-suite"), reason);
    }

    @Test
    void shouldWarnOnTheProbeRunWhenTheEndpointDoesNotListTheCheckpointsModel() throws Exception {
        String endpoint = unique("unlisted");
        createEndpoint(endpoint, simulatorUrl, 4);
        String suite = unique("unlisted");
        createSuite(suite, probes(2, "unlisted"));
        String runId = UUID.randomUUID().toString();
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            // the simulator answers any demo-ckpt-N but its /v1/models lists only base, 200, 400, 600 and noadapter
            publish(channel, event(runId, UUID.randomUUID().toString(), endpoint, suite, "demo-ckpt-900"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> as(viewer())
                .get("/api/probe-runs?run=" + runId).then().extract().jsonPath().getList("[0].warnings").size() == 1);
        var run = as(viewer()).get("/api/probe-runs?run=" + runId).then().statusCode(200).extract().jsonPath();
        List<String> warnings = run.getList("[0].warnings", String.class);
        assertEquals(1, warnings.size(), "the baseline's demo-base is listed: one warning only " + warnings);
        assertEquals("model 'demo-ckpt-900' is not listed by endpoint '" + endpoint + "' (/v1/models lists: "
                + "demo-base, demo-ckpt-200, demo-ckpt-400, demo-ckpt-600, demo-noadapter)", warnings.get(0));
        String id = run.getString("[0].id");
        awaitCompleted(id); // the checkpoint is still probed
        assertEquals(warnings, as(viewer()).get("/api/probe-runs/" + id).then().statusCode(200).extract()
                .jsonPath().getList("warnings", String.class));
    }

    @Test
    void shouldFailTheProbeRunWithItsReasonWhenEveryCallToTheCandidateFails() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) { // an allowed ephemeral port where nothing listens afterwards
            dead = s.getLocalPort();
        }
        String endpoint = unique("dead");
        createEndpoint(endpoint, "http://127.0.0.1:" + dead, 2);
        String suite = unique("dead");
        createSuite(suite, probes(2, "dead"));
        String runId = UUID.randomUUID().toString();
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            publish(channel, event(runId, UUID.randomUUID().toString(), endpoint, suite));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "failed".equals(as(viewer())
                .get("/api/probe-runs?run=" + runId).then().extract().jsonPath().getString("[0].status")));
        var run = as(viewer()).get("/api/probe-runs?run=" + runId).then().statusCode(200).extract().jsonPath();
        String reason = run.getString("[0].failureReason");
        assertTrue(reason.startsWith("every call to the candidate (endpoint '" + endpoint
                + "', model 'demo-ckpt-400') failed (2 of 2); first error: "), reason);
        assertEquals(4, run.getInt("[0].counts.error"));
        assertEquals(0, run.getList("[0].warnings").size(), "no /v1/models answer, no warning");
        assertEquals(reason, as(viewer()).get("/api/probe-runs/" + run.getString("[0].id")).then().statusCode(200)
                .extract().jsonPath().getString("failureReason"));
    }
}
