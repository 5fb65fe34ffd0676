package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.otto;
import static dev.lookout.ingest.IngestFixtures.runBody;
import static dev.lookout.ingest.IngestFixtures.token;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** GET/PUT /api/projects/{key}/alarm-thresholds, and the detectors of the project's runs following them. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class AlarmThresholdResourceTest {

    /** Each test works in its own project so that its thresholds reach no other test's runs. */
    final String project = "thr-" + UUID.randomUUID().toString().substring(0, 8);
    final String engineer = token("erin", List.of("engineer"), Set.of("/projects/" + project));
    final String viewer = token("val", List.of("viewer"), Set.of("/projects/" + project));

    String path() {
        return "/api/projects/" + project + "/alarm-thresholds";
    }

    @Test
    void shouldAnswerDefaultsThenStoreAPartialChange() {
        as(viewer).get(path()).then().statusCode(200)
                .body("project", equalTo(project))
                .body("thresholds.spike.window", equalTo(50))
                .body("thresholds.spike.threshold", equalTo(6.0f))
                .body("thresholds.gradNorm.minRatio", equalTo(20.0f))
                .body("thresholds.plateau.enabled", equalTo(true))
                .body("overrides", anEmptyMap())
                .body("updatedAt", nullValue());
        as(engineer).contentType(ContentType.JSON).body(Map.of("spike", Map.of("threshold", 12, "warmupSteps", 10),
                        "plateau", Map.of("enabled", false)))
                .put(path()).then().statusCode(200)
                .body("thresholds.spike.threshold", equalTo(12.0f))
                .body("thresholds.spike.warmupSteps", equalTo(10))
                .body("thresholds.spike.window", equalTo(50))
                .body("thresholds.plateau.enabled", equalTo(false))
                .body("overrides.spike.threshold", equalTo(12.0f))
                .body("overrides.spike", not(org.hamcrest.Matchers.hasKey("window")))
                .body("updatedBy", equalTo("erin"));
        as(viewer).get(path()).then().statusCode(200).body("thresholds.spike.threshold", equalTo(12.0f))
                .body("updatedAt", not(nullValue()));
        // a PUT replaces the overrides: what it does not name follows the defaults again
        as(engineer).contentType(ContentType.JSON).body(Map.of("spike", Map.of("window", 30))).put(path()).then().statusCode(200)
                .body("thresholds.spike.threshold", equalTo(6.0f)).body("thresholds.spike.window", equalTo(30))
                .body("thresholds.plateau.enabled", equalTo(true));
    }

    @Test
    void shouldRefuseBadValuesNamingTheFieldAndChangeNothing() {
        for (var bad : List.of(
                Map.of("body", "{\"spike\": {\"window\": 2}}", "field", "spike.window"),
                Map.of("body", "{\"spike\": {\"window\": \"ten\"}}", "field", "spike.window"),
                Map.of("body", "{\"spike\": {\"window\": 30.5}}", "field", "spike.window"),
                Map.of("body", "{\"divergence\": {\"alpha\": 0}}", "field", "divergence.alpha"),
                Map.of("body", "{\"spike\": {\"madFactor\": 3}}", "field", "spike.madFactor"),
                Map.of("body", "{\"spikes\": {\"window\": 30}}", "field", "spikes"),
                Map.of("body", "{\"spike\": 3}", "field", "spike"),
                Map.of("body", "{\"plateau\": {\"enabled\": \"no\"}}", "field", "plateau.enabled"),
                Map.of("body", "[1, 2]", "field", "body"))) {
            as(engineer).contentType(ContentType.JSON).body(bad.get("body")).put(path())
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad.get("field")))
                    .body("detail", containsString(bad.get("field")));
        }
        as(engineer).get(path()).then().statusCode(200).body("overrides", anEmptyMap());
    }

    @Test
    void shouldHideOtherProjectsAndLetOnlyEngineersWrite() {
        as(otto()).get(path()).then().statusCode(404).contentType("application/problem+json");
        as(otto()).contentType(ContentType.JSON).body(Map.of("spike", Map.of("window", 30))).put(path()).then().statusCode(404);
        as(viewer).contentType(ContentType.JSON).body(Map.of("spike", Map.of("window", 30))).put(path()).then().statusCode(403);
        as(engineer).get("/api/projects/other/alarm-thresholds").then().statusCode(404);
        as(engineer).get(path()).then().statusCode(200).body("overrides", anEmptyMap());
    }

    /** 300 points around 1.0 (MAD 0.02) with one point at 1.3 at step 200: robust z ≈ 10. */
    static List<Map<String, Object>> spikySeries() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            double v = i == 200 ? 1.3 : 1.0 + (i % 3 == 1 ? 0.02 : i % 3 == 2 ? -0.02 : 0);
            points.add(Map.of("name", "loss", "step", i, "value", v));
        }
        return points;
    }

    String runWithSpikySeries() {
        String run = as(engineer).contentType(ContentType.JSON).body(runBody(project, uniqueName("thr"))).post("/api/runs")
                .then().statusCode(201).extract().path("id");
        as(engineer).contentType(ContentType.JSON).body(Map.of("points", spikySeries())).post("/api/runs/{id}/metrics", run)
                .then().statusCode(200).body("stored", equalTo(300));
        return run;
    }

    @Test
    void shouldMakeTheDetectorsOfTheProjectsRunsFollowItsThresholds() {
        as(engineer).contentType(ContentType.JSON).body(Map.of("spike", Map.of("threshold", 12))).put(path()).then().statusCode(200);
        String quiet = runWithSpikySeries();
        as(engineer).get("/api/runs/{id}/alarms", quiet).then().statusCode(200).body("kind", not(hasItem("spike")));

        as(engineer).contentType(ContentType.JSON).body("{}").put(path()).then().statusCode(200).body("overrides", anEmptyMap());
        String loud = runWithSpikySeries();
        as(engineer).get("/api/runs/{id}/alarms", loud).then().statusCode(200)
                .body("kind", hasItem("spike"))
                .body("find { it.kind == 'spike' }.fromStep", equalTo(200));
    }
}
