package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.DEMO;
import static dev.lookout.ingest.IngestFixtures.OTHER;
import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.otto;
import static dev.lookout.ingest.IngestFixtures.runBody;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static dev.lookout.ingest.IngestFixtures.vic;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/** What a restarting training job needs: find its run by name, and create it only once. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class RunGetOrCreateTest {

    private static final Map<String, Object> PUT_BODY = Map.of("labels", Map.of("method", "lora"),
            "baseline", Map.of("endpoint", "vllm-local", "model", "qwen2.5-7b"), "suite", "smoke");

    @Test
    void shouldAnswer409WithTheExistingRunsIdAndLocation() {
        String name = uniqueName("dup");
        String id = as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, name)).post("/api/runs")
                .then().statusCode(201).extract().path("id");
        as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, name)).post("/api/runs")
                .then().statusCode(409).contentType("application/problem+json")
                .header("Location", equalTo("/api/runs/" + id))
                .body("status", equalTo(409))
                .body("type", equalTo("https://lookout.dev/problems/conflict"))
                .body("id", equalTo(id));
    }

    @Test
    void shouldFilterTheRunListByExactName() {
        String name = uniqueName("byname");
        String id = as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, name)).post("/api/runs")
                .then().statusCode(201).extract().path("id");
        as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, name + "-other")).post("/api/runs")
                .then().statusCode(201);
        as(vic()).queryParam("project", DEMO).queryParam("name", name).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(id));
        as(vic()).queryParam("name", name).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].name", equalTo(name));
        as(otto()).queryParam("name", name).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(0));
        as(vic()).queryParam("project", DEMO).queryParam("name", name.substring(0, 6)).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldCreateOnTheFirstPutAndReturnTheSameRunAfterwards() {
        String name = uniqueName("put");
        String id = as(eve()).contentType(ContentType.JSON).body(PUT_BODY)
                .put("/api/projects/{key}/runs/{name}", DEMO, name)
                .then().statusCode(201)
                .header("Location", startsWith("/api/runs/"))
                .body("project", equalTo(DEMO)).body("name", equalTo(name)).body("suite", equalTo("smoke"))
                .extract().path("id");
        as(eve()).contentType(ContentType.JSON).body(PUT_BODY)
                .put("/api/projects/{key}/runs/{name}", DEMO, name)
                .then().statusCode(200)
                .header("Location", equalTo("/api/runs/" + id))
                .body("id", equalTo(id)).body("baseline.model", equalTo("qwen2.5-7b"));
        as(vic()).queryParam("project", DEMO).queryParam("name", name).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(1)).body("id", hasItem(id));
    }

    @Test
    void shouldRefuseAPutOutsideTheCallersProjectsOrRole() {
        String name = uniqueName("put");
        as(otto()).contentType(ContentType.JSON).body(PUT_BODY).put("/api/projects/{key}/runs/{name}", DEMO, name)
                .then().statusCode(404).contentType("application/problem+json");
        as(vic()).contentType(ContentType.JSON).body(PUT_BODY).put("/api/projects/{key}/runs/{name}", DEMO, name)
                .then().statusCode(403);
        as(eve()).queryParam("project", DEMO).queryParam("name", name).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(0));
        as(otto()).queryParam("project", OTHER).queryParam("name", name).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldAnswer400NamingTheFieldForAPutWithoutBaselineModel() {
        String name = uniqueName("put");
        as(eve()).contentType(ContentType.JSON).body(Map.of("baseline", Map.of("endpoint", "vllm-local")))
                .put("/api/projects/{key}/runs/{name}", DEMO, name)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("baseline.model"));
        as(eve()).queryParam("project", DEMO).queryParam("name", name).get("/api/runs")
                .then().statusCode(200).body("$", hasSize(0));
    }
}
