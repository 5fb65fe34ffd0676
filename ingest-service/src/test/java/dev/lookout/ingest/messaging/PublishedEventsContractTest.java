package dev.lookout.ingest.messaging;

import dev.lookout.contracts.EventContracts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.lookout.ingest.IngestFixtures.DEMO;
import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Producer side of the event contracts: every event ingest-service writes for a run (to the outbox, whose payload the
 * relay publishes unchanged) matches its schema in deploy/contracts, and together they cover every type asyncapi.yaml
 * lists on ingest.events.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class PublishedEventsContractTest {

    @Inject
    DataSource dataSource;

    @Test
    void shouldPublishOnlyEventsThatMatchTheirSchemas() throws Exception {
        // no suite: checkpoint.registered then carries "suite": null; the second checkpoint has no label either
        String run = as(eve()).contentType(ContentType.JSON)
                .body(Map.of("project", DEMO, "name", uniqueName("contract"), "labels", Map.of("method", "lora"),
                        "baseline", Map.of("endpoint", "vllm-local", "model", "qwen2.5-7b")))
                .post("/api/runs").then().statusCode(201).extract().path("id");
        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("step", 200, "label", "ckpt-200", "target", Map.of("endpoint", "vllm-local", "model", "m-200")))
                .post("/api/runs/{id}/checkpoints", run).then().statusCode(201);
        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("step", 400, "target", Map.of("endpoint", "vllm-local", "model", "m-400")))
                .post("/api/runs/{id}/checkpoints", run).then().statusCode(201);
        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("points", List.of(Map.of("name", "loss", "step", 1, "value", 2.0),
                        Map.of("name", "loss", "step", 2, "value", "NaN"))))
                .post("/api/runs/{id}/metrics", run).then().statusCode(200);

        List<String> events = outboxOf(run);
        assertEquals(4, events.size(), events.toString());
        TreeSet<String> types = new TreeSet<>();
        for (String event : events) {
            EventContracts.assertValid(event);
            types.add(EventContracts.parse(event).path("type").asText());
        }
        assertEquals(new TreeSet<>(EventContracts.typesOn("ingest.events")), types);
    }

    private List<String> outboxOf(String run) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select cast(payload as text) from ingest.outbox where payload->>'runId' = ? order by created_at, id")) {
            ps.setString(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
