package dev.lookout.ingest.rest;

import dev.lookout.ingest.service.RunService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.otto;
import static dev.lookout.ingest.IngestFixtures.vic;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class RunStatusTest {

    @Inject
    RunService runs;

    @Test
    void shouldMarkARunFinishedOrFailed() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON).body(Map.of("status", "finished")).patch("/api/runs/{id}", run)
                .then().statusCode(200).body("status", equalTo("finished")).body("id", equalTo(run));
        as(eve()).get("/api/runs/{id}", run).then().statusCode(200).body("status", equalTo("finished"));
        as(eve()).contentType(ContentType.JSON).body(Map.of("status", "failed")).patch("/api/runs/{id}", run)
                .then().statusCode(200).body("status", equalTo("failed"));
    }

    @Test
    void shouldRefuseStalledOrUnknownStatusesAndStrangers() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON).body(Map.of("status", "stalled")).patch("/api/runs/{id}", run)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        as(eve()).contentType(ContentType.JSON).body(Map.of()).patch("/api/runs/{id}", run).then().statusCode(400);
        as(vic()).contentType(ContentType.JSON).body(Map.of("status", "finished")).patch("/api/runs/{id}", run).then().statusCode(403);
        as(otto()).contentType(ContentType.JSON).body(Map.of("status", "finished")).patch("/api/runs/{id}", run).then().statusCode(404);
    }

    @Test
    void shouldMarkASilentRunStalledAndWakeItWithData() {
        String run = createRun();
        runs.markStalled(Instant.now().plusSeconds(3600));
        as(eve()).get("/api/runs/{id}", run).then().statusCode(200).body("status", equalTo("stalled"));
        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("points", List.of(Map.of("name", "loss", "step", 1, "value", 2.0))))
                .post("/api/runs/{id}/metrics", run).then().statusCode(200);
        as(eve()).get("/api/runs/{id}", run).then().statusCode(200).body("status", equalTo("running"));
        // finished runs are never marked stalled
        as(eve()).contentType(ContentType.JSON).body(Map.of("status", "finished")).patch("/api/runs/{id}", run).then().statusCode(200);
        runs.markStalled(Instant.now().plusSeconds(3600));
        as(eve()).get("/api/runs/{id}", run).then().statusCode(200).body("status", equalTo("finished"));
    }
}
