package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.DEMO;
import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.runBody;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

/** Inputs sized to exhaust the service: over-long lines and CSV records, oversized run labels. All 422, nothing stored. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class IngestLimitsTest {

    /** lookout.ingest.max-line-bytes in %test. */
    static final int MAX_LINE = 65536;

    static String jsonlLine(int step) {
        return "{\"step\": " + step + ", \"loss\": 2.5}\n";
    }

    @Test
    void shouldRefuseAnOverLongJsonlLineNamingItAndStoreNothing() {
        String run = createRun();
        String body = jsonlLine(1) + jsonlLine(2) + "{\"step\": 3, \"note\": \"" + "x".repeat(MAX_LINE + 10) + "\"}\n" + jsonlLine(4);
        as(eve()).contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/runs/{id}/logs", run)
                .then().statusCode(422).contentType(ExceptionMappers.PROBLEM_JSON)
                .body("errors", hasSize(1))
                .body("errors[0].line", equalTo(3))
                .body("detail", containsString("line 3"))
                .body("detail", containsString(String.valueOf(MAX_LINE)));
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
    }

    @Test
    void shouldRefuseAnOverLongCsvRecordNamingItsLine() {
        String run = createRun();
        String body = "step,loss\n1,2.5\n2," + "9".repeat(MAX_LINE + 10) + "\n3,2.4\n";
        as(eve()).contentType("text/csv").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/runs/{id}/logs?format=csv", run)
                .then().statusCode(422).contentType(ExceptionMappers.PROBLEM_JSON)
                .body("errors[0].line", equalTo(3));
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
    }

    @Test
    void shouldAcceptALineJustUnderTheLimit() {
        String line = "{\"step\": 3, \"loss\": 2.25, \"note\": \"" + "x".repeat(MAX_LINE - 60) + "\"}\n";
        as(eve()).contentType("application/x-ndjson").body((jsonlLine(1) + line).getBytes(StandardCharsets.UTF_8))
                .post("/api/runs/{id}/logs?format=jsonl", createRun())
                .then().statusCode(200).body("series.'train/loss'", equalTo(2));
    }

    static Map<String, Object> withLabels(String name, Map<String, Object> labels) {
        Map<String, Object> body = new HashMap<>(runBody(DEMO, name));
        body.put("labels", labels);
        return body;
    }

    static void assertNotCreated(String name) {
        as(eve()).get("/api/runs?project=demo&limit=1000").then().statusCode(200).body("name", not(hasItem(name)));
    }

    @Test
    void shouldRefuseTooManyLabels() {
        Map<String, Object> labels = new LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            labels.put("k" + i, "v");
        }
        String name = uniqueName("labels");
        as(eve()).contentType(ContentType.JSON).body(withLabels(name, labels)).post("/api/runs")
                .then().statusCode(422).contentType(ExceptionMappers.PROBLEM_JSON)
                .body("errors[0].field", equalTo("labels"))
                .body("detail", containsString("at most 32 labels"));
        assertNotCreated(name);
    }

    @Test
    void shouldRefuseAnOverLongLabelValueOrKeyNamingTheLabel() {
        String name = uniqueName("labels");
        as(eve()).contentType(ContentType.JSON)
                .body(withLabels(name, Map.of("method", "lora", "notes", "n".repeat(257)))).post("/api/runs")
                .then().statusCode(422).contentType(ExceptionMappers.PROBLEM_JSON)
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("labels.notes"))
                .body("detail", containsString("label notes"));
        String key = "k".repeat(65);
        as(eve()).contentType(ContentType.JSON).body(withLabels(name, Map.of(key, "v"))).post("/api/runs")
                .then().statusCode(422).body("errors[0].field", equalTo("labels." + key.substring(0, 64) + "…"))
                .body("errors[0].message", containsString("64"));
        // a nested value counts as its JSON text
        as(eve()).contentType(ContentType.JSON).body(withLabels(name, Map.of("data", List.of("a".repeat(200), "b".repeat(200)))))
                .post("/api/runs").then().statusCode(422).body("errors[0].field", equalTo("labels.data"));
        assertNotCreated(name);
    }

    @Test
    void shouldAcceptLabelsAtTheLimits() {
        Map<String, Object> labels = new LinkedHashMap<>();
        for (int i = 0; i < 31; i++) {
            labels.put("k" + i, "v");
        }
        labels.put("k".repeat(64), "v".repeat(256));
        as(eve()).contentType(ContentType.JSON).body(withLabels(uniqueName("labels"), labels)).post("/api/runs")
                .then().statusCode(201).body("labels.size()", equalTo(32));
    }

    @Test
    void shouldRefuseAWandbImportWhoseRunNameMakesAnOverLongLabel() {
        String run = createRun();
        String other = "r".repeat(300);
        String csv = "Step,\"a - loss\",\"" + other + " - loss\"\n\"1\",\"2.5\",\"2.6\"\n\"2\",\"2.4\",\"2.5\"\n";
        as(eve()).contentType("text/csv").body(csv).post("/api/runs/{id}/logs", run)
                .then().statusCode(422).contentType(ExceptionMappers.PROBLEM_JSON)
                .body("errors[0].field", equalTo("labels.wandbRun"));
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
        assertNotCreated(other);
    }
}
