package dev.lookout.systemtests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;

/**
 * A training job registers checkpoints as LoRA adapter paths, through the gateway with a client-credentials token;
 * nobody serves them by hand. probe-runner loads each adapter on the endpoint (the simulator speaking vLLM's runtime
 * LoRA API), probes it under its name, then unloads it; an adapter that does not load fails its row of the round
 * report with the reason.
 */
@ExtendWith(SystemExtension.class)
class AdapterLoadingIT {

    @Test
    void checkpointsGivenAsAdapterPathsAreLoadedProbedAndUnloadedWithoutAHuman() {
        String job = Api.trainingJobToken();
        String eve = Api.userToken("eve");
        String endpoint = Seed.unique("lora");
        Api.gateway(job).body(Map.of("project", Seed.PROJECT, "name", endpoint, "baseUrl",
                SystemUnderTest.SIMULATOR_URL, "maxConcurrency", 8, "timeoutMs", 20000, "adapterLoading", "vllm",
                "params", Map.of("temperature", 0, "max_tokens", 200, "seed", 7)))
                .when().post("/api/endpoints").then().statusCode(201)
                .body("adapterLoading", equalTo("vllm")).body("unloadAdapterAfterRun", equalTo(true));
        String plain = Seed.unique("plain");
        Seed.endpoint(job, plain);
        String suite = Seed.unique("lora");
        Seed.suite(job, suite);
        String runName = Seed.unique("lora-sft");
        String run = Seed.run(job, runName, endpoint, suite);

        // an endpoint that does not load adapters is refused at the door, and nothing is stored
        Api.gateway(job).body(Map.of("step", 200, "adapter", Map.of("path", "/out/checkpoint-200",
                "endpoint", plain))).when().post("/api/runs/" + run + "/checkpoints")
                .then().statusCode(422).body("errors[0].field", equalTo("adapter.endpoint"))
                .body("detail", containsString("does not load adapters"));

        String path = "/out/" + runName + "/checkpoint-400";
        String good = Api.gateway(job).body(Map.of("step", 400, "adapter", Map.of("path", path,
                "endpoint", endpoint))).when().post("/api/runs/" + run + "/checkpoints")
                .then().statusCode(201).body("adapter.name", equalTo(runName + "-400"))
                .body("target.model", equalTo(runName + "-400")).extract().path("id");
        String bad = Api.gateway(job).body(Map.of("step", 600, "adapter", Map.of(
                "path", "/out/missing/checkpoint-600", "endpoint", endpoint, "name", runName + "-bad")))
                .when().post("/api/runs/" + run + "/checkpoints").then().statusCode(201).extract().path("id");

        JsonPath round = await("round report of " + run).atMost(Seed.PROBE_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.gateway(eve).when().get("/api/rounds/" + run).then().statusCode(200).extract()
                        .jsonPath(), r -> r.getList("checkpoints").size() == 2
                                && r.get("checkpoints.find { it.step == 400 }.behaviour") != null
                                && r.get("checkpoints.find { it.step == 600 }.failureReason") != null);
        String report = round.prettify();
        Map<String, Object> probed = round.getMap("checkpoints.find { it.step == 400 }");
        assertEquals(good, probed.get("checkpointId"), report);
        assertEquals(Map.of("endpoint", endpoint, "model", runName + "-400"), probed.get("target"), report);
        assertNotNull(probed.get("behaviour"), report);
        Map<String, Object> failed = round.getMap("checkpoints.find { it.step == 600 }");
        assertEquals(bad, failed.get("checkpointId"), report);
        assertEquals("adapter load failed: 404 NotFoundError: the model server found no adapter at that path "
                + "(adapter '" + runName + "-bad' from '/out/missing/checkpoint-600' on endpoint '" + endpoint + "')",
                failed.get("failureReason"), report);

        List<Map<String, Object>> outputs = probeRunOutputs(eve, run, 400);
        assertEquals(8, outputs.size());
        for (Map<String, Object> o : outputs.stream().filter(o -> ((Integer) o.get("targetIndex")) == 0).toList()) {
            assertEquals("done", o.get("status"), String.valueOf(o));
            assertEquals(runName + "-400", o.get("serverModel"), "answered by the adapter: " + o);
        }

        // the simulator saw the load, then the unload once the run was over; the bad path was only tried
        await("unload of " + runName + "-400").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> simulatorSaw(runName + "-400"), List.of("load 200", "unload 200")::equals);
        assertEquals(List.of("load 404"), simulatorSaw(runName + "-bad"));
        List<String> served = given().get(SystemUnderTest.SIMULATOR_URL + "/v1/models").then().statusCode(200)
                .extract().jsonPath().getList("data.id", String.class);
        assertTrue(!served.contains(runName + "-400"), "unloaded: " + served);
    }

    private static List<Map<String, Object>> probeRunOutputs(String token, String run, int step) {
        List<Map<String, Object>> runs = Api.gateway(token).queryParam("project", Seed.PROJECT)
                .queryParam("run", run).when().get("/api/probe-runs").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.step == " + step + " }");
        assertEquals(1, runs.size());
        assertEquals("completed", runs.get(0).get("status"));
        return Api.gateway(token).when().get("/api/probe-runs/" + runs.get(0).get("id") + "/outputs").then()
                .statusCode(200).extract().jsonPath().getList("$");
    }

    /** The simulator's loads and unloads of {@code name}, as "op status" in order. */
    private static List<String> simulatorSaw(String name) {
        List<Map<String, Object>> events = given().get(SystemUnderTest.SIMULATOR_URL + "/admin/adapters").then()
                .statusCode(200).extract().jsonPath().getList("events");
        return events.stream().filter(e -> name.equals(e.get("name"))).map(e -> e.get("op") + " " + e.get("status"))
                .toList();
    }
}
