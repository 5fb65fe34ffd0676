package dev.lookout.ingest.rest;

import dev.lookout.ingest.IngestEventTap;
import dev.lookout.ingest.IngestEventTap.Received;
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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class CheckpointResourceTest {

    IngestEventTap tap;

    @BeforeEach
    void bindTemporaryQueue() throws Exception {
        tap = IngestEventTap.open("ingest-service-test", "#");
    }

    @AfterEach
    void close() throws Exception {
        tap.close();
    }

    Received awaitEvent(String type, String field, String value) {
        return tap.await(type, field, value);
    }

    @Test
    void shouldRegisterACheckpointAndPublishCheckpointRegistered() {
        String run = createRun();
        Received created = awaitEvent("run.created", "runId", run);
        assertEquals("demo", created.body().getString("project"));

        String id = as(eve()).contentType(ContentType.JSON)
                .body(Map.of("step", 200, "label", "ckpt-200", "target", Map.of("endpoint", "vllm-local", "model", "demo-ckpt-200")))
                .post("/api/runs/{id}/checkpoints", run)
                .then().statusCode(201)
                .body("runId", equalTo(run))
                .body("step", equalTo(200))
                .body("target.model", equalTo("demo-ckpt-200"))
                .body("trainLoss", nullValue())
                .extract().path("id");

        Received event = awaitEvent("checkpoint.registered", "checkpointId", id);
        JsonPath b = event.body();
        assertEquals("application/json", event.contentType());
        assertEquals(b.getString("eventId"), event.messageId());
        assertEquals("checkpoint.registered", b.getString("type"));
        assertEquals(1, b.getInt("version"));
        assertNotNull(b.getString("occurredAt"));
        assertEquals("demo", b.getString("project"));
        assertEquals(run, b.getString("runId"));
        assertNotNull(b.getString("runName"));
        assertEquals(200, b.getInt("step"));
        assertEquals("ckpt-200", b.getString("label"));
        assertEquals(Map.of("endpoint", "vllm-local", "model", "demo-ckpt-200"), b.getMap("target"));
        assertEquals(Map.of("endpoint", "vllm-local", "model", "qwen2.5-7b"), b.getMap("baseline"));
        assertEquals("smoke", b.getString("suite"));

        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("step", 200, "target", Map.of("endpoint", "vllm-local", "model", "again")))
                .post("/api/runs/{id}/checkpoints", run).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void shouldListCheckpointsWithSmoothedLossAndDeltas() {
        String run = createRun();
        List<Map<String, Object>> points = List.of(
                Map.of("name", "loss", "step", 10, "value", 2.0),
                Map.of("name", "loss", "step", 20, "value", 1.0),
                Map.of("name", "eval_loss", "step", 20, "value", 1.8),
                Map.of("name", "loss", "step", 30, "value", 1.0),
                Map.of("name", "eval_loss", "step", 30, "value", 1.5));
        as(eve()).contentType(ContentType.JSON).body(Map.of("points", points))
                .post("/api/runs/{id}/metrics", run).then().statusCode(200);
        for (int step : new int[] {30, 5, 20}) {
            as(eve()).contentType(ContentType.JSON)
                    .body(Map.of("step", step, "target", Map.of("endpoint", "vllm-local", "model", "ckpt-" + step)))
                    .post("/api/runs/{id}/checkpoints", run).then().statusCode(201);
        }
        // alpha 0.2: 2.0 → 0.2*1+0.8*2 = 1.8 → 0.2*1+0.8*1.8 = 1.64
        as(vic()).config(io.restassured.RestAssured.config().jsonConfig(io.restassured.config.JsonConfig.jsonConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE)))
                .get("/api/runs/{id}/checkpoints", run).then().statusCode(200)
                .body("step", equalTo(List.of(5, 20, 30)))
                .body("[0].trainLoss", nullValue())
                .body("[0].evalLoss", nullValue())
                .body("[1].trainLoss", closeTo(1.8, 1e-9))
                .body("[1].evalLoss", closeTo(1.8, 1e-9))
                .body("[1].trainLossDelta", nullValue())
                .body("[2].trainLoss", closeTo(1.64, 1e-9))
                .body("[2].trainLossDelta", closeTo(-0.16, 1e-9))
                .body("[2].evalLossDelta", closeTo(-0.3, 1e-9));
    }

    @Test
    void shouldPublishAlarmRaised() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("points", List.of(Map.of("name", "loss", "step", 1, "value", 2.0),
                        Map.of("name", "loss", "step", 2, "value", "NaN"))))
                .post("/api/runs/{id}/metrics", run).then().statusCode(200);
        JsonPath b = awaitEvent("alarm.raised", "runId", run).body();
        assertEquals("non-finite", b.getString("kind"));
        assertEquals("critical", b.getString("severity"));
        assertEquals(2, b.getInt("fromStep"));
        assertNotNull(b.getString("alarmId"));
        assertNotNull(b.getString("message"));
    }
}
