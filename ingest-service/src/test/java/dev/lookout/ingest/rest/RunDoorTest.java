package dev.lookout.ingest.rest;

import dev.lookout.ingest.FakeProbeRunner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.DEMO;
import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static dev.lookout.ingest.IngestFixtures.vic;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run or checkpoint naming a suite or endpoint its project does not have is refused at the door (422 naming the
 * field, nothing stored); probe-runner (a stand-in here: {@link FakeProbeRunner}) failing is 503, nothing stored.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(FakeProbeRunner.class)
class RunDoorTest {

    private static Map<String, Object> run(String name, String suite, String baselineEndpoint) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("project", DEMO, "name", name,
                "baseline", Map.of("endpoint", baselineEndpoint, "model", "qwen2.5-7b")));
        if (suite != null) {
            body.put("suite", suite);
        }
        return body;
    }

    private static int runsNamed(String name) {
        return as(vic()).get("/api/runs?project=demo&limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.name == '" + name + "' }").size();
    }

    @Test
    void shouldRefuseARunWhoseSuiteDoesNotExist() {
        String name = uniqueName("door");
        JsonPath p = as(eve()).contentType(ContentType.JSON).body(run(name, FakeProbeRunner.MISSING + "suite", "vllm-local"))
                .post("/api/runs").then().statusCode(422).contentType("application/problem+json").extract().jsonPath();
        assertEquals(List.of("suite"), p.getList("errors.field"));
        assertTrue(p.getString("detail").contains("suite 'no-such-suite' does not exist in project demo"), p.getString("detail"));
        assertEquals(0, runsNamed(name), "nothing stored");
    }

    @Test
    void shouldRefuseARunWhoseBaselineEndpointDoesNotExistNamingBothFieldsWhenBothAreWrong() {
        String name = uniqueName("door");
        JsonPath p = as(eve()).contentType(ContentType.JSON).body(run(name, null, FakeProbeRunner.MISSING + "ep"))
                .post("/api/runs").then().statusCode(422).extract().jsonPath();
        assertEquals(List.of("baseline.endpoint"), p.getList("errors.field"));
        JsonPath both = as(eve()).contentType(ContentType.JSON)
                .body(run(name, FakeProbeRunner.MISSING + "suite", FakeProbeRunner.MISSING + "ep"))
                .post("/api/runs").then().statusCode(422).extract().jsonPath();
        assertEquals(List.of("suite", "baseline.endpoint"), both.getList("errors.field"));
        assertEquals(0, runsNamed(name), "nothing stored");
    }

    @Test
    void shouldRefuseAGetOrCreateWhoseSuiteDoesNotExist() {
        String name = uniqueName("door");
        Map<String, Object> body = run(name, FakeProbeRunner.MISSING + "suite", "vllm-local");
        body.remove("project");
        body.remove("name");
        JsonPath p = as(eve()).contentType(ContentType.JSON).body(body)
                .put("/api/projects/demo/runs/" + name).then().statusCode(422)
                .contentType("application/problem+json").extract().jsonPath();
        assertEquals(List.of("suite"), p.getList("errors.field"));
        assertEquals(0, runsNamed(name), "nothing stored");
    }

    @Test
    void shouldAnswer503AndStoreNothingWhenProbeRunnerFails() {
        String name = uniqueName("door");
        as(eve()).contentType(ContentType.JSON).body(run(name, FakeProbeRunner.FAILING + "suite", "vllm-local"))
                .post("/api/runs").then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("https://lookout.dev/problems/service-unavailable"))
                .body("detail", startsWith("probe-runner could not be asked whether suite 'fake-down-suite' exists"));
        assertEquals(0, runsNamed(name), "nothing stored");
    }

    @Test
    void shouldCreateARunWithoutSuiteAndLetItBeSetLater() {
        String name = uniqueName("door");
        String id = as(eve()).contentType(ContentType.JSON).body(run(name, null, "vllm-local"))
                .post("/api/runs").then().statusCode(201).body("suite", nullValue()).extract().path("id");

        as(eve()).contentType(ContentType.JSON).body(Map.of("suite", FakeProbeRunner.MISSING + "suite"))
                .patch("/api/runs/" + id).then().statusCode(422).body("errors[0].field", equalTo("suite"));
        as(vic()).get("/api/runs/" + id).then().statusCode(200).body("suite", nullValue());

        as(eve()).contentType(ContentType.JSON).body(Map.of("suite", "smoke"))
                .patch("/api/runs/" + id).then().statusCode(200).body("suite", equalTo("smoke"))
                .body("status", equalTo("running"));
        as(vic()).get("/api/runs/" + id).then().statusCode(200).body("suite", equalTo("smoke"));
        as(eve()).contentType(ContentType.JSON).body(Map.of("status", "finished"))
                .patch("/api/runs/" + id).then().statusCode(200).body("status", equalTo("finished"))
                .body("suite", equalTo("smoke"));
        as(eve()).contentType(ContentType.JSON).body(Map.of())
                .patch("/api/runs/" + id).then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(vic()).contentType(ContentType.JSON).body(Map.of("suite", "smoke"))
                .patch("/api/runs/" + id).then().statusCode(403);
    }

    @Test
    void shouldRefuseACheckpointWhoseEndpointDoesNotExist() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON).body(Map.of("step", 100,
                        "target", Map.of("endpoint", FakeProbeRunner.MISSING + "ep", "model", "lora-100")))
                .post("/api/runs/" + run + "/checkpoints").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("target.endpoint"))
                .body("errors.size()", equalTo(1));
        as(vic()).get("/api/runs/" + run + "/checkpoints").then().statusCode(200).body("size()", equalTo(0));
        as(eve()).contentType(ContentType.JSON).body(Map.of("step", 100,
                        "target", Map.of("endpoint", FakeProbeRunner.FAILING + "ep", "model", "lora-100")))
                .post("/api/runs/" + run + "/checkpoints").then().statusCode(503);
        as(eve()).contentType(ContentType.JSON).body(Map.of("step", 100,
                        "target", Map.of("endpoint", "vllm-local", "model", "model-the-endpoint-may-not-serve")))
                .post("/api/runs/" + run + "/checkpoints").then().statusCode(201);
        as(vic()).get("/api/runs/" + run + "/checkpoints").then().statusCode(200).body("size()", equalTo(1));
    }
}
