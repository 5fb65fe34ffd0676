package dev.lookout.ingest.rest;

import dev.lookout.ingest.FakeProbeRunner;
import dev.lookout.ingest.IngestEventTap;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.vic;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Checkpoints served as LoRA adapters probe-runner loads: the body, the door checks and the event's adapter. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class CheckpointAdapterTest {

    IngestEventTap tap;

    @BeforeEach
    void bindTemporaryQueue() throws Exception {
        tap = IngestEventTap.open("ingest-service-adapter-test", "checkpoint.registered");
    }

    @AfterEach
    void close() throws Exception {
        tap.close();
    }

    JsonPath awaitRegistered(String checkpointId) {
        return tap.await("checkpoint.registered", "checkpointId", checkpointId).body();
    }

    private static io.restassured.response.Response post(String run, Map<String, Object> body) {
        return as(eve()).contentType(ContentType.JSON).body(body).post("/api/runs/{id}/checkpoints", run);
    }

    @Test
    void shouldRegisterAnAdapterCheckpointAndCarryTheAdapterInTheEvent() {
        String run = createRun();
        String runName = as(vic()).get("/api/runs/{id}", run).then().statusCode(200).extract().path("name");
        String id = post(run, Map.of("step", 500, "adapter", Map.of("path", "/out/sft/checkpoint-500",
                "endpoint", "lora-vllm")))
                .then().statusCode(201)
                .body("adapter.path", equalTo("/out/sft/checkpoint-500"))
                .body("adapter.endpoint", equalTo("lora-vllm"))
                .body("adapter.name", equalTo(runName + "-500"))
                .body("target.endpoint", equalTo("lora-vllm"))
                .body("target.model", equalTo(runName + "-500"))
                .extract().path("id");

        JsonPath event = awaitRegistered(id);
        assertEquals(Map.of("path", "/out/sft/checkpoint-500", "endpoint", "lora-vllm", "name", runName + "-500"),
                event.getMap("adapter"));
        assertEquals(Map.of("endpoint", "lora-vllm", "model", runName + "-500"), event.getMap("target"));
        as(vic()).get("/api/runs/{id}/checkpoints", run).then().statusCode(200)
                .body("", hasSize(1)).body("[0].adapter.name", equalTo(runName + "-500"));
    }

    @Test
    void shouldUseTheGivenNameAndAnEndpointGivenById() {
        String run = createRun();
        String id = post(run, Map.of("step", 7, "adapter", Map.of("path", "s3-mounted/ckpt 7",
                "endpoint", "3f2a1c9e-1111-4222-8333-944455556666", "name", "sft.v3_step-7")))
                .then().statusCode(201)
                .body("adapter.endpoint", equalTo(FakeProbeRunner.BY_ID))
                .body("target.model", equalTo("sft.v3_step-7"))
                .extract().path("id");
        assertEquals("sft.v3_step-7", awaitRegistered(id).getString("adapter.name"));
    }

    @Test
    void shouldLeaveTheAdapterOutOfAServedTargetsEvent() {
        String run = createRun();
        String id = post(run, Map.of("step", 3, "target", Map.of("endpoint", "vllm-local", "model", "m-3")))
                .then().statusCode(201).body("adapter", nullValue()).extract().path("id");
        assertFalse(awaitRegistered(id).getMap("").containsKey("adapter"));
    }

    @Test
    void shouldRefuseAnAdapterOnAnEndpointThatDoesNotLoadAdapters() {
        String run = createRun();
        post(run, Map.of("step", 1, "adapter", Map.of("path", "/out/checkpoint-1", "endpoint", "vllm-local")))
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("adapter.endpoint"))
                .body("detail", containsString("endpoint 'vllm-local' does not load adapters (adapterLoading is none)"));
        post(run, Map.of("step", 1, "adapter", Map.of("path", "/out/checkpoint-1",
                "endpoint", FakeProbeRunner.MISSING + "x")))
                .then().statusCode(422).body("errors[0].field", equalTo("adapter.endpoint"))
                .body("detail", containsString("is not registered"));
        post(run, Map.of("step", 1, "adapter", Map.of("path", "/out/checkpoint-1",
                "endpoint", FakeProbeRunner.UNKNOWN_ID)))
                .then().statusCode(422).body("errors[0].field", equalTo("adapter.endpoint"));
        as(vic()).get("/api/runs/{id}/checkpoints", run).then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void shouldRefuseBadAdapterBodiesAndStoreNothing() {
        String run = createRun();
        Map<String, Object> target = Map.of("endpoint", "vllm-local", "model", "m");
        Map<String, Object> adapter = Map.of("path", "/out/checkpoint-1", "endpoint", "lora-vllm");
        post(run, Map.of("step", 1, "target", target, "adapter", adapter)).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("adapter"))
                .body("detail", containsString("not both"));
        post(run, Map.of("step", 1)).then().statusCode(422).body("errors[0].field", equalTo("target"));
        post(run, Map.of("step", 1, "adapter", Map.of("path", "/out/a\u0007b", "endpoint", "lora-vllm")))
                .then().statusCode(422).body("errors[0].field", equalTo("adapter.path"))
                .body("detail", containsString("control characters"));
        post(run, Map.of("step", 1, "adapter", Map.of("path", "/" + "a".repeat(1024), "endpoint", "lora-vllm")))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("adapter.path"));
        post(run, Map.of("step", 1, "adapter", Map.of("path", " ", "endpoint", "lora-vllm")))
                .then().statusCode(400).body("errors[0].field", equalTo("adapter.path"));
        post(run, Map.of("step", 1, "adapter", Map.of("path", "/p", "endpoint", "lora-vllm", "name", "bad name/x")))
                .then().statusCode(400).body("errors[0].field", equalTo("adapter.name"));
        as(vic()).get("/api/runs/{id}/checkpoints", run).then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void derivesTheAdapterNameFromRunAndStep() {
        assertEquals("sft-v3-qwen-400", dev.lookout.platform.Adapters.defaultName("sft v3/qwen", 400));
        assertEquals("run-1", dev.lookout.platform.Adapters.defaultName("../..", 1));
        assertEquals(100, dev.lookout.platform.Adapters.defaultName("x".repeat(300), 123456).length());
        assertEquals(List.of("must not contain control characters", "must be a non-empty path"),
                List.of(dev.lookout.platform.Adapters.pathProblem("a\tb"),
                        dev.lookout.platform.Adapters.pathProblem("")));
    }
}
