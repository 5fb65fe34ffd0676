package dev.lookout.proberunner.messaging;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.amqp;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Checkpoints served as LoRA adapters: checkpoint.registered on the real broker, the simulator as a vLLM with runtime
 * LoRA loading. The runner loads the adapter, probes it under its name, then unloads it (unless told not to).
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class AdapterLoadingTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    private String adapterEndpoint(boolean unloadAfterRun) {
        String name = unique("lora");
        String id = createEndpoint(name, simulatorUrl, 4).getString("id");
        as(engineer()).body(Map.of("adapterLoading", "vllm", "unloadAdapterAfterRun", unloadAfterRun))
                .patch("/api/endpoints/" + id).then().statusCode(200)
                .body("adapterLoading", is("vllm")).body("unloadAdapterAfterRun", is(unloadAfterRun));
        return name;
    }

    private static JsonObject event(String runId, String endpoint, String suite, String path, String name) {
        JsonObject adapter = new JsonObject().put("path", path).put("endpoint", endpoint);
        if (name != null) {
            adapter.put("name", name);
        }
        return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "checkpoint.registered")
                .put("version", 1).put("occurredAt", Instant.now().toString()).put("project", PROJECT)
                .put("runId", runId).put("runName", "sft lora/7").put("checkpointId", UUID.randomUUID().toString())
                .put("step", 400).put("label", null).put("suite", suite)
                .put("target", new JsonObject().put("endpoint", endpoint).put("model", name))
                .put("adapter", adapter)
                .put("baseline", new JsonObject().put("endpoint", endpoint).put("model", "demo-base"));
    }

    private static void publish(JsonObject... events) throws Exception {
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            for (JsonObject event : events) {
                channel.basicPublish("test.ingest.events", "checkpoint.registered",
                        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                                .messageId(event.getString("eventId")).build(),
                        event.encode().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static JsonPath awaitRunOf(String runId) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> as(viewer())
                .get("/api/probe-runs?run=" + runId).then().extract().jsonPath().getList("id").size() == 1);
        return as(viewer()).get("/api/probe-runs?run=" + runId).then().statusCode(200).extract().jsonPath();
    }

    /** The simulator's loads and unloads of {@code name}, as "op status" in order. */
    private List<String> simulatorSaw(String name) {
        List<Map<String, Object>> events = given().get(simulatorUrl + "/admin/adapters").then().statusCode(200)
                .extract().jsonPath().getList("events");
        return events.stream().filter(e -> name.equals(e.get("name"))).map(e -> e.get("op") + " " + e.get("status"))
                .toList();
    }

    /** The in-process simulator is shared by the module's tests: leave no adapter loaded (it would be listed). */
    @AfterEach
    void unloadEverything() {
        List<String> loaded = given().get(simulatorUrl + "/admin/adapters").then().statusCode(200).extract()
                .jsonPath().getList("loaded.id", String.class);
        for (String name : loaded) {
            given().contentType("application/json").body(Map.of("lora_name", name))
                    .post(simulatorUrl + "/v1/unload_lora_adapter").then().statusCode(200);
        }
    }

    private List<String> listedModels() {
        return given().get(simulatorUrl + "/v1/models").then().statusCode(200).extract().jsonPath()
                .getList("data.id", String.class);
    }

    @Test
    void shouldLoadProbeUnderTheAdapterNameThenUnloadOnceDespiteARedeliveredEvent() throws Exception {
        String endpoint = adapterEndpoint(true);
        String suite = unique("lora");
        createSuite(suite, probes(3, "lora"));
        String runId = UUID.randomUUID().toString();
        String name = unique("sft-400");
        JsonObject event = event(runId, endpoint, suite, "/out/" + name + "/checkpoint-400", name);
        publish(event, event); // the same event delivered twice

        String id = awaitRunOf(runId).getString("[0].id");
        JsonPath run = awaitCompleted(id);
        assertEquals(name, run.getString("targets[0].model"));
        assertEquals("/out/" + name + "/checkpoint-400", run.getString("targets[0].adapter.path"));
        assertEquals("demo-base", run.getString("targets[1].model"));
        assertEquals(6, run.getInt("counts.done"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "unloaded".equals(
                as(viewer()).get("/api/probe-runs/" + id).then().extract().path("adapterState")));
        assertEquals(List.of("load 200", "unload 200"), simulatorSaw(name), "loaded once, unloaded once");
        assertTrue(!listedModels().contains(name), "no longer served");
        assertEquals(1, as(viewer()).get("/api/probe-runs?run=" + runId).then().extract().jsonPath().getList("id")
                .size(), "one probe run despite the duplicate event");

        List<Map<String, Object>> outputs = as(viewer()).get("/api/probe-runs/" + id + "/outputs").then()
                .statusCode(200).extract().jsonPath().getList("findAll { it.targetIndex == 0 }");
        assertEquals(3, outputs.size());
        for (Map<String, Object> o : outputs) {
            assertEquals("done", o.get("status"));
            assertEquals(name, o.get("model"));
            assertEquals(name, o.get("serverModel"), "the adapter answered under its name");
            assertEquals("/out/" + name + "/checkpoint-400", o.get("weightsRoot"));
        }
    }

    @Test
    void shouldFailTheRunWithTheReasonWhenTheAdapterDoesNotLoad() throws Exception {
        String endpoint = adapterEndpoint(true);
        String suite = unique("lora-bad");
        createSuite(suite, probes(2, "lora-bad"));
        String runId = UUID.randomUUID().toString();
        String name = unique("bad");
        publish(event(runId, endpoint, suite, "/out/missing/checkpoint-5", name));

        String id = awaitRunOf(runId).getString("[0].id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(
                as(viewer()).get("/api/probe-runs/" + id).then().extract().path("status")));
        JsonPath run = as(viewer()).get("/api/probe-runs/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("adapter load failed: 404 NotFoundError: the model server found no adapter at that path "
                + "(adapter '" + name + "' from '/out/missing/checkpoint-5' on endpoint '" + endpoint + "')",
                run.getString("failureReason"));
        assertEquals("failed", run.getString("adapterState"));
        assertEquals(0, run.getInt("counts.done"));
        assertEquals(0, run.getInt("counts.pending"));
        List<String> statuses = as(viewer()).get("/api/probe-runs/" + id + "/outputs").then().statusCode(200)
                .extract().jsonPath().getList("status", String.class);
        assertEquals(4, statuses.size());
        assertTrue(statuses.stream().allMatch("cancelled"::equals), "never asked: " + statuses);
        assertEquals(List.of("load 404"), simulatorSaw(name));
    }

    @Test
    void shouldTakeAnAdapterLoadedAlreadyFromTheSamePathAsLoaded() throws Exception {
        String endpoint = adapterEndpoint(true);
        String suite = unique("lora-again");
        createSuite(suite, probes(2, "lora-again"));
        String name = unique("again");
        String path = "/out/" + name + "/checkpoint-200";
        // loaded before, e.g. by an instance that died before it recorded the load
        given().contentType("application/json").body(Map.of("lora_name", name, "lora_path", path))
                .post(simulatorUrl + "/v1/load_lora_adapter").then().statusCode(200);
        String runId = UUID.randomUUID().toString();
        publish(event(runId, endpoint, suite, path, name));

        JsonPath run = awaitCompleted(awaitRunOf(runId).getString("[0].id"));
        assertEquals(4, run.getInt("counts.done"));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> simulatorSaw(name).equals(List.of("load 200", "load 400", "unload 200")));
    }

    @Test
    void shouldRefuseAnAdapterLoadedAlreadyFromAnotherPath() throws Exception {
        String endpoint = adapterEndpoint(true);
        String suite = unique("lora-clash");
        createSuite(suite, probes(1, "lora-clash"));
        String name = unique("clash");
        given().contentType("application/json").body(Map.of("lora_name", name, "lora_path", "/elsewhere/x"))
                .post(simulatorUrl + "/v1/load_lora_adapter").then().statusCode(200);
        String runId = UUID.randomUUID().toString();
        publish(event(runId, endpoint, suite, "/out/" + name + "/checkpoint-9", name));

        String id = awaitRunOf(runId).getString("[0].id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(
                as(viewer()).get("/api/probe-runs/" + id).then().extract().path("status")));
        String reason = as(viewer()).get("/api/probe-runs/" + id).then().extract().path("failureReason");
        assertTrue(reason.startsWith("adapter load failed: 400: the model server holds the name '" + name
                + "' already, loaded from another path"), reason);
        assertEquals(List.of("load 200", "load 400"), simulatorSaw(name), "the other adapter is left alone");
    }

    @Test
    void shouldLeaveTheAdapterLoadedWhenTheEndpointSaysSoAndDeriveItsName() throws Exception {
        String endpoint = adapterEndpoint(false);
        String suite = unique("lora-keep");
        createSuite(suite, probes(2, "lora-keep"));
        String runId = UUID.randomUUID().toString();
        String path = "/out/" + unique("keep") + "/checkpoint-600";
        publish(event(runId, endpoint, suite, path, null));

        JsonPath run = awaitCompleted(awaitRunOf(runId).getString("[0].id"));
        String name = run.getString("targets[0].model");
        assertEquals("sft-lora-7-400", name, "derived from the run name and step");
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> "loaded".equals(as(viewer()).get("/api/probe-runs/" + run.getString("id")).then()
                        .extract().path("adapterState")));
        assertTrue(simulatorSaw(name).contains("load 200"));
        assertTrue(!simulatorSaw(name).stream().anyMatch(s -> s.startsWith("unload")), "never unloaded");
        assertTrue(listedModels().contains(name), "still served");
    }

    @Test
    void shouldFailACheckpointAdapterOnAnEndpointThatDoesNotLoadAdapters() throws Exception {
        String endpoint = unique("plain");
        createEndpoint(endpoint, simulatorUrl, 2);
        String suite = unique("lora-plain");
        createSuite(suite, probes(1, "lora-plain"));
        String runId = UUID.randomUUID().toString();
        publish(event(runId, endpoint, suite, "/out/x/checkpoint-1", unique("plain")));

        JsonPath run = awaitRunOf(runId);
        assertEquals("failed", run.getString("[0].status"));
        assertTrue(run.getString("[0].failureReason").startsWith("candidate adapter: endpoint '" + endpoint
                + "' does not load adapters (adapterLoading is none"), run.getString("[0].failureReason"));
    }

    @Test
    void shouldValidateTheEndpointsAdapterSettings() {
        String name = unique("settings");
        JsonPath created = createEndpoint(name, simulatorUrl, 1);
        assertEquals("none", created.getString("adapterLoading"));
        assertTrue(created.getBoolean("unloadAdapterAfterRun"));
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("tgi"), "baseUrl", simulatorUrl,
                "adapterLoading", "tgi")).post("/api/endpoints")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", is("adapterLoading")).body("detail", containsString("none, vllm"));
        String id = created.getString("id");
        as(engineer()).body(Map.of("adapterLoading", "VLLM")).patch("/api/endpoints/" + id)
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", is("adapterLoading"));
        as(viewer()).body(Map.of("adapterLoading", "vllm")).patch("/api/endpoints/" + id).then().statusCode(403);
        as(engineer()).get("/api/endpoints/" + id).then().statusCode(200).body("adapterLoading", is("none"));
        as(engineer()).body(Map.of("unloadAdapterAfterRun", false)).patch("/api/endpoints/" + id).then()
                .statusCode(200).body("adapterLoading", is("none")).body("unloadAdapterAfterRun", is(false));
    }

    @Test
    void shouldRefuseAManualAdapterTargetOnAnEndpointThatDoesNotLoadAdapters() {
        String endpoint = unique("manual");
        createEndpoint(endpoint, simulatorUrl, 1);
        String suite = unique("manual");
        createSuite(suite, probes(1, "manual"));
        as(engineer()).body(Map.of("project", PROJECT, "suite", suite, "targets", List.of(Map.of("endpoint",
                endpoint, "model", "m-1", "adapter", Map.of("path", "/out/checkpoint-1")))))
                .post("/api/probe-runs").then().statusCode(422)
                .body("errors[0].field", is("targets[0].adapter"))
                .body("detail", containsString("does not load adapters"));
    }

    @Test
    void shouldLoadTheAdapterOfAManualRunAndRefuseAPathWithControlCharacters() {
        String endpoint = adapterEndpoint(true);
        String suite = unique("manual-lora");
        createSuite(suite, probes(2, "manual-lora"));
        String name = unique("manual");
        as(engineer()).body(Map.of("project", PROJECT, "suite", suite, "targets", List.of(Map.of("endpoint",
                endpoint, "model", name, "adapter", Map.of("path", "/out/a\nb")))))
                .post("/api/probe-runs").then().statusCode(422)
                .body("errors[0].field", is("targets[0].adapter"))
                .body("detail", containsString("control characters"));
        String id = as(engineer()).body(Map.of("project", PROJECT, "suite", suite, "targets", List.of(
                Map.of("endpoint", endpoint, "model", name, "adapter", Map.of("path", "/out/m/checkpoint-200")),
                Map.of("endpoint", endpoint, "model", "demo-base"))))
                .post("/api/probe-runs").then().statusCode(202).extract().path("id");
        JsonPath run = awaitCompleted(id);
        assertEquals(4, run.getInt("counts.done"));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> simulatorSaw(name).equals(List.of("load 200", "unload 200")));
    }
}
