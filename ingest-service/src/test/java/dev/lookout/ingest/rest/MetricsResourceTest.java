package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.vic;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class MetricsResourceTest {

    static Map<String, Object> pt(String name, long step, Object value) {
        return Map.of("name", name, "step", step, "value", value);
    }

    static void post(String run, List<Map<String, Object>> points, long stored, long duplicates, long conflicts) {
        as(eve()).contentType(ContentType.JSON).body(Map.of("points", points))
                .post("/api/runs/{id}/metrics", run)
                .then().statusCode(200)
                .body("stored", equalTo((int) stored))
                .body("duplicates", equalTo((int) duplicates))
                .body("conflicts", equalTo((int) conflicts));
    }

    @Test
    void shouldCountStoredDuplicatesAndConflictsAndKeepNaN() {
        String run = createRun();
        post(run, List.of(pt("loss", 1, 2.0), pt("loss", 2, "NaN"), pt("loss", 1, 2.0)), 2, 1, 0);
        post(run, List.of(pt("train/loss", 1, 2.0), pt("loss", 2, "NaN"), pt("loss", 3, 1.5), pt("eval_loss", 3, 1.7)), 2, 2, 0);
        post(run, List.of(pt("loss", 3, 1.4)), 0, 0, 1);
        as(vic()).get("/api/runs/{id}/series?name=train/loss&name=eval_loss", run).then().statusCode(200)
                .body("series", hasSize(2))
                .body("series[0].name", equalTo("train/loss"))
                .body("series[0].count", equalTo(3))
                .body("series[0].points[1].value", equalTo("NaN"))
                .body("series[0].points[2].value", equalTo(1.4f))
                .body("series[0].min", equalTo(1.4f))
                .body("series[0].max", equalTo(2.0f))
                .body("series[0].last", equalTo(1.4f))
                .body("series[1].name", equalTo("eval/loss"));
        as(vic()).get("/api/runs/{id}/alarms", run).then().statusCode(200)
                .body("kind", hasItem("non-finite"))
                .body("find { it.kind == 'non-finite' }.severity", equalTo("critical"))
                .body("find { it.kind == 'non-finite' }.fromStep", equalTo(2));
    }

    @Test
    void shouldRejectTheWholeBatchAndNameTheBadPoint() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("points", List.of(pt("loss", 1, 2.0), Map.of("name", "loss", "step", -5, "value", 1.0))))
                .post("/api/runs/{id}/metrics", run)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].index", equalTo(1));
        as(eve()).contentType(ContentType.JSON)
                .body("{\"points\": [{\"name\": \"loss\", \"step\": 1, \"value\": 1.0}, {\"name\": \"loss\", \"step\": 2, \"value\": \"abc\"}]}")
                .post("/api/runs/{id}/metrics", run)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("points[1].value"));
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
    }

    @Test
    void shouldAcceptBareNaNAndRejectOversizedBatches() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON)
                .body("{\"points\": [{\"name\": \"grad_norm\", \"step\": 7, \"value\": Infinity, \"wallTime\": \"2025-01-02T03:04:05Z\"}]}")
                .post("/api/runs/{id}/metrics", run).then().statusCode(200).body("stored", equalTo(1));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            many.add(pt("loss", i, 1.0));
        }
        as(eve()).contentType(ContentType.JSON).body(Map.of("points", many))
                .post("/api/runs/{id}/metrics", run).then().statusCode(413).contentType("application/problem+json");
        as(eve()).get("/api/runs/{id}/series?name=train/grad_norm", run).then()
                .body("series[0].points[0].value", equalTo("Infinity"));
    }

    @Test
    void shouldDownsampleLongSeries() {
        String run = createRun();
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            many.add(pt("loss", i, i == 1500 ? Double.NaN : 2.0 / Math.sqrt(i)));
        }
        as(eve()).contentType(ContentType.JSON).body(Map.of("points", many.stream()
                        .map(m -> Double.valueOf(Double.NaN).equals(m.get("value")) ? pt("loss", 1500, "NaN") : m).toList()))
                .post("/api/runs/{id}/metrics", run).then().statusCode(200).body("stored", equalTo(2000));
        as(eve()).get("/api/runs/{id}/series?name=train/loss&maxPoints=100", run).then().statusCode(200)
                .body("series[0].count", equalTo(2000))
                .body("series[0].points", hasSize(100))
                .body("series[0].points.value", hasItem("NaN"));
        as(eve()).get("/api/runs/{id}/series?maxPoints=1", run).then().statusCode(400);
    }

    @Test
    void shouldStoreOutOfOrderAndResentStepsNewestWinning() {
        String run = createRun();
        // 3, 1, 2 arrive out of order; 3 again with another value (conflict, newest wins); 1 again unchanged (duplicate)
        post(run, List.of(pt("loss", 3, 3.0), pt("loss", 1, 1.0), pt("loss", 2, 2.0), pt("loss", 3, 3.5), pt("loss", 1, 1.0)), 3, 1, 1);
        // a later batch rewrites step 2 twice: the last value wins, both rewrites are conflicts; step 4 is new
        post(run, List.of(pt("loss", 2, 2.1), pt("loss", 4, 4.0), pt("loss", 2, 2.2)), 1, 0, 2);
        as(vic()).get("/api/runs/{id}/series?name=train/loss", run).then().statusCode(200)
                .body("series[0].count", equalTo(4))
                .body("series[0].points.step", equalTo(List.of(1, 2, 3, 4)))
                .body("series[0].points.value", equalTo(List.of(1.0f, 2.2f, 3.5f, 4.0f)));
    }

    @Test
    void shouldKeepWallTimesAndIgnoreUnknownFields() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON)
                .body("{\"source\": \"callback\", \"points\": [{\"name\": \"loss\", \"step\": \"5\", \"value\": \"2.5\", "
                        + "\"wallTime\": \"2025-01-02T03:04:05.123456Z\", \"rank\": {\"id\": 0}}, "
                        + "{\"name\": \"loss\", \"step\": 6.0, \"value\": -Infinity, \"wallTime\": 1735787045.5}]}")
                .post("/api/runs/{id}/metrics", run).then().statusCode(200).body("stored", equalTo(2));
        as(eve()).get("/api/runs/{id}/series?name=train/loss", run).then().statusCode(200)
                .body("series[0].points.value", equalTo(List.of(2.5f, "-Infinity")));
    }

    @Test
    void shouldNameEveryBadPointAndStoreNothing() {
        String run = createRun();
        as(eve()).contentType(ContentType.JSON)
                .body("{\"points\": [{\"name\": \"loss\", \"step\": 1, \"value\": 1.0}, {\"step\": 2, \"value\": 1.0}, "
                        + "{\"name\": \"loss\", \"step\": 2.5, \"value\": 1.0}, {\"name\": \"loss\", \"step\": 3}, null]}")
                .post("/api/runs/{id}/metrics", run)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.index", equalTo(List.of(1, 2, 3, 4)))
                .body("errors[1].message", equalTo("step must be a whole number >= 0"))
                .body("errors[2].message", org.hamcrest.Matchers.containsString("value is missing"));
        for (String body : List.of("", "[]", "{}", "{\"points\": {}}", "{\"points\": [1]}", "{\"points\": [{\"name\": 5}]}",
                "{\"points\": [{\"name\": \"loss\", \"step\": 1, \"value\": 1.0}", "{\"points\": []} x")) {
            as(eve()).contentType(ContentType.JSON).body(body).post("/api/runs/{id}/metrics", run)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception")));
        }
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
    }

    @Test
    void shouldAnswerA404ForAnotherProjectsRunWithoutStoringAnything() {
        String run = createRun();
        as(dev.lookout.ingest.IngestFixtures.otto()).contentType(ContentType.JSON).body(Map.of("points", List.of(pt("loss", 1, 1.0))))
                .post("/api/runs/{id}/metrics", run).then().statusCode(404).contentType("application/problem+json");
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
    }
}
