package dev.lookout.proberunner.messaging;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.amqp;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

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
        return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "checkpoint.registered")
                .put("version", 1).put("occurredAt", Instant.now().toString()).put("project", PROJECT)
                .put("runId", runId).put("runName", "sft-7").put("checkpointId", checkpointId).put("step", 400)
                .put("label", "step 400").put("suite", suite).put("someFutureField", "ignored")
                .put("target", new JsonObject().put("endpoint", endpoint).put("model", "demo-ckpt-400"))
                .put("baseline", new JsonObject().put("endpoint", endpoint).put("model", "demo-base"));
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
}
