package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.DEMO;
import static dev.lookout.ingest.IngestFixtures.OTHER;
import static dev.lookout.ingest.IngestFixtures.ada;
import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.otto;
import static dev.lookout.ingest.IngestFixtures.runBody;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static dev.lookout.ingest.IngestFixtures.vic;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class RunResourceTest {

    @Test
    void shouldCreateListAndGetARun() {
        String name = uniqueName("sft");
        String id = as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, name))
                .post("/api/runs")
                .then().statusCode(201)
                .header("Location", containsString("/api/runs/"))
                .extract().path("id");
        as(eve()).get("/api/runs/{id}", id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("project", equalTo(DEMO))
                .body("name", equalTo(name))
                .body("labels.method", equalTo("lora"))
                .body("baseline.endpoint", equalTo("vllm-local"))
                .body("baseline.model", equalTo("qwen2.5-7b"))
                .body("suite", equalTo("smoke"))
                .body("status", equalTo("running"))
                .body("createdAt", notNullValue());
        // by name: the first page (oldest first) may be full of other tests' runs by now
        as(vic()).get("/api/runs?project=demo&name=" + name).then().statusCode(200)
                .body("$", hasSize(1)).body("[0].id", equalTo(id));
        as(ada()).get("/api/runs?name=" + name).then().statusCode(200)
                .body("$", hasSize(1)).body("[0].id", equalTo(id));
    }

    @Test
    void shouldAnswer409ForATakenName() {
        String name = uniqueName("dup");
        as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, name)).post("/api/runs").then().statusCode(201);
        as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, name)).post("/api/runs")
                .then().statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409)).body("detail", containsString(name));
    }

    @Test
    void shouldAnswer400WithFieldPathsForAnInvalidRun() {
        as(eve()).contentType(ContentType.JSON)
                .body(Map.of("project", DEMO, "name", "x", "baseline", Map.of("endpoint", "vllm-local")))
                .post("/api/runs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("baseline.model"))
                .body(not(containsString("Exception")));
    }

    @Test
    void shouldAnswer400ForMalformedJson() {
        as(eve()).contentType(ContentType.JSON).body("{\"project\": \"demo\", \"name\": ")
                .post("/api/runs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request"))
                .body(not(containsString("com.fasterxml")));
    }

    @Test
    void shouldAnswer401WithoutToken() {
        given().get("/api/runs").then().statusCode(401);
        given().contentType(ContentType.JSON).body(runBody(DEMO, "x")).post("/api/runs").then().statusCode(401);
    }

    @Test
    void shouldLetAViewerReadButNotWrite() {
        String id = createRun();
        as(vic()).get("/api/runs/{id}", id).then().statusCode(200);
        as(vic()).contentType(ContentType.JSON).body(runBody(DEMO, uniqueName("v"))).post("/api/runs")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        as(vic()).contentType(ContentType.JSON).body(Map.of("points", java.util.List.of()))
                .post("/api/runs/{id}/metrics", id).then().statusCode(403);
    }

    @Test
    void shouldHideRunsOfOtherProjects() {
        String id = createRun();
        as(otto()).get("/api/runs/{id}", id).then().statusCode(404).contentType("application/problem+json")
                .body("detail", startsWith("run not found"));
        as(otto()).get("/api/runs/{id}/series", id).then().statusCode(404);
        as(otto()).get("/api/runs/{id}/alarms", id).then().statusCode(404);
        as(otto()).get("/api/runs/{id}/checkpoints", id).then().statusCode(404);
        as(otto()).contentType(ContentType.JSON).body(Map.of("points", java.util.List.of()))
                .post("/api/runs/{id}/metrics", id).then().statusCode(404);
        as(otto()).get("/api/runs").then().statusCode(200).body("id", not(hasItem(id)));
        as(otto()).get("/api/runs?project=demo").then().statusCode(200).body("size()", equalTo(0));
        as(otto()).contentType(ContentType.JSON).body(runBody(DEMO, uniqueName("o"))).post("/api/runs")
                .then().statusCode(404).body("detail", containsString("project not found"));
        as(otto()).contentType(ContentType.JSON).body(runBody(OTHER, uniqueName("o"))).post("/api/runs")
                .then().statusCode(201);
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownRun() {
        as(eve()).get("/api/runs/{id}", java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void shouldServeHealthOpenApiAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem(containsString("Database")));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/runs"));
        given().get("/q/metrics").then().statusCode(200);
    }
}
