package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.amqp;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.otherProjectEngineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.serviceAccount;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.lookout.proberunner.SimulatorResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class ProbeRunFlowTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    @Inject
    MeterRegistry metrics;

    @Test
    void shouldCompareCheckpointWithBaseAndDetectAnAdapterThatWasNotApplied() throws Exception {
        String endpoint = unique("vllm");
        createEndpoint(endpoint, simulatorUrl, 4);
        String suite = unique("support");
        String suiteVersionId = createSuite(suite, probes(8, "")).getString("versionId");

        String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-400", "ckpt-400"),
                target(endpoint, "demo-base", "base")));
        JsonPath run = awaitCompleted(runId);
        assertEquals(16, run.getInt("total"));
        assertEquals(16, run.getInt("counts.done"));
        assertEquals(0, run.getInt("counts.pending"));
        assertEquals("ckpt-400", run.getString("targets[0].label"));
        assertTrue(run.getInt("comparison.changed") > 0);

        as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                .body("size()", is(16)).body("status", everyItem(is("done")))
                .body("text", everyItem(notNullValue())).body("attempts", everyItem(is(1)))
                .body("serverModel", hasItem("demo-ckpt-400")).body("paramsSent[0].temperature", is(0.0f))
                .body("paramsSent[0].max_tokens", is(128)).body("paramsSent[0].seed", is(7));

        JsonPath cmp = as(serviceAccount()).get("/api/comparisons?probeRun=" + runId).then().statusCode(200)
                .body("candidate.model", is("demo-ckpt-400")).body("baseline.model", is("demo-base"))
                .body("total", is(8)).body("items.size()", is(8))
                .body("items[0].messages[1].role", is("user")).body("items[0].similarity", notNullValue())
                .extract().jsonPath();
        assertTrue(cmp.getDouble("shareChanged") > 0, "shareChanged=" + cmp.getDouble("shareChanged"));
        assertEquals(false, cmp.getBoolean("identicalToBaseline"));

        // the base model is not asked again: its outputs are reused from the completed run
        String noAdapterRun = startRun(suite, List.of(target(endpoint, "demo-noadapter", "noadapter"),
                target(endpoint, "demo-base", "base")));
        awaitCompleted(noAdapterRun);
        List<Map<String, Object>> outputs = as(viewer()).get("/api/probe-runs/" + noAdapterRun + "/outputs")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(8, outputs.stream().filter(o -> ((Integer) o.get("targetIndex")) == 1)
                .filter(o -> Boolean.TRUE.equals(o.get("reused"))).count());
        as(viewer()).get("/api/comparisons?probeRun=" + noAdapterRun).then().statusCode(200)
                .body("identicalToBaseline", is(true)).body("changed", is(0)).body("shareChanged", is(0.0f));

        // the same pair looked up by suite version and targets
        as(viewer()).get("/api/comparisons?suiteVersion=" + suiteVersionId + "&candidate=" + endpoint
                + "/demo-ckpt-400&baseline=" + endpoint + "/demo-base").then().statusCode(200)
                .body("total", is(8)).body("shareChanged", greaterThan(0.0f));
        as(otherProjectEngineer()).get("/api/comparisons?probeRun=" + runId).then().statusCode(404);
    }

    @Test
    void shouldPublishCompletedEventAndIgnoreRedelivery() throws Exception {
        String endpoint = unique("llamacpp");
        createEndpoint(endpoint, simulatorUrl, 2);
        String suite = unique("tiny");
        createSuite(suite, probes(2, "r"));
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            String q = channel.queueDeclare().getQueue();
            channel.queueBind(q, "test.probe-runner.events", "probe-run.*");
            String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-200", "c"),
                    target(endpoint, "demo-base", "b")));
            awaitCompleted(runId);
            List<JsonObject> events = new java.util.ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                var got = channel.basicGet(q, true);
                if (got != null) {
                    events.add(new JsonObject(new String(got.getBody(), StandardCharsets.UTF_8)));
                }
                return events.stream().anyMatch(e -> "probe-run.completed".equals(e.getString("type"))
                        && runId.equals(e.getString("probeRunId")));
            });
            JsonObject completed = events.stream().filter(e -> "probe-run.completed".equals(e.getString("type"))
                    && runId.equals(e.getString("probeRunId"))).findFirst().orElseThrow();
            assertEquals(PROJECT, completed.getString("project"));
            assertEquals(1, completed.getInteger("version"));
            assertEquals(4, completed.getInteger("total"));
            assertEquals(0, completed.getInteger("errors"));
            assertEquals("demo-ckpt-200", completed.getJsonObject("candidate").getString("model"));
            assertEquals(endpoint, completed.getJsonObject("baseline").getString("endpoint"));
            assertTrue(completed.containsKey("runId") && completed.containsKey("step"));
            assertTrue(events.stream().anyMatch(e -> "probe-run.started".equals(e.getString("type"))
                    && runId.equals(e.getString("probeRunId"))));

            // re-deliver a call for an output that is already stored: no second output, no change
            Map<String, Object> first = as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then()
                    .extract().jsonPath().getMap("[0]");
            double skippedBefore = skipped();
            String call = new JsonObject().put("outputId", first.get("id")).put("probeRunId", runId)
                    .put("attempt", 1).encode();
            channel.basicPublish("test.probe-runner.work", "call",
                    new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                    call.getBytes(StandardCharsets.UTF_8));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> skipped() > skippedBefore);
            as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200).body("size()", is(4));
            as(viewer()).get("/api/probe-runs/" + runId).then().body("counts.done", is(4)).body("status", is("completed"));
        }
    }

    private double skipped() {
        var counter = metrics.find("lookout.probe.calls").tag("outcome", "skipped").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldHideOtherProjectsRunsAndValidateTargets() {
        String endpoint = unique("iso");
        createEndpoint(endpoint, simulatorUrl, 2);
        String suite = unique("iso");
        createSuite(suite, probes(1, "iso"));
        String runId = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
        as(otherProjectEngineer()).get("/api/probe-runs/" + runId).then().statusCode(404);
        as(otherProjectEngineer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(404);
        as(otherProjectEngineer()).post("/api/probe-runs/" + runId + "/cancel").then().statusCode(404);
        as(otherProjectEngineer()).get("/api/probe-runs?project=demo").then().statusCode(200).body("size()", is(0));
        as(engineer()).body(Map.of("project", PROJECT, "suite", suite, "targets", List.of(target("nope", "m", "x"))))
                .post("/api/probe-runs").then().statusCode(422).body("errors[0].field", is("targets[0].endpoint"));
        as(engineer()).body(Map.of("project", PROJECT, "suite", "no-such-suite", "targets",
                List.of(target(endpoint, "m", "x")))).post("/api/probe-runs").then().statusCode(422);
        as(viewer()).body(Map.of("project", PROJECT, "suite", suite, "targets", List.of(target(endpoint, "m", "x"))))
                .post("/api/probe-runs").then().statusCode(403);
        awaitCompleted(runId);
        as(engineer()).post("/api/probe-runs/" + runId + "/cancel").then().statusCode(409);
    }
}
