package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static dev.lookout.ingest.IngestFixtures.runBody;
import static dev.lookout.ingest.IngestFixtures.token;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Keyset paging of GET /api/runs, /alarms and /checkpoints: arrays with a Next-Cursor header and a Link rel=next. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class PagingTest {

    @Test
    void shouldPageRunsOfAProjectWithACursor() {
        String project = "pg-" + UUID.randomUUID().toString().substring(0, 8);
        String erin = token("erin", List.of("engineer"), Set.of("/projects/" + project));
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(as(erin).contentType(ContentType.JSON).body(runBody(project, "run-" + i)).post("/api/runs")
                    .then().statusCode(201).extract().path("id"));
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Response r = as(erin).queryParam("project", project).queryParam("limit", 2)
                    .queryParams(after == null ? Map.of() : Map.of("after", after)).get("/api/runs");
            r.then().statusCode(200);
            seen.addAll(r.jsonPath().getList("id"));
            after = r.header(RunResource.NEXT_CURSOR);
            if (after != null) {
                r.then().header("Link", containsString("after=" + after)).header("Link", containsString("rel=\"next\""));
            }
            pages++;
        } while (after != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(created, seen);
        // without a limit the default (100) holds them all, and there is no next page
        as(erin).get("/api/runs?project=" + project).then().statusCode(200).body("$", hasSize(5))
                .header(RunResource.NEXT_CURSOR, nullValue());
    }

    @Test
    void shouldRefuseABadLimitOrCursorNamingTheField() {
        for (String limit : List.of("0", "-1", "abc", "1001", "2.5")) {
            as(eve()).get("/api/runs?limit=" + limit).then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("limit"));
        }
        String run = createRun();
        as(eve()).get("/api/runs/{id}/alarms?limit=0", run).then().statusCode(422).body("errors[0].field", equalTo("limit"));
        as(eve()).get("/api/runs/{id}/checkpoints?limit=100000", run).then().statusCode(422).body("errors[0].field", equalTo("limit"));
        for (String after : List.of("zzz", "!!", "Y2hlY2twb2ludDo1")) { // the last one is a checkpoint cursor
            as(eve()).get("/api/runs?after=" + after).then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("after"));
        }
    }

    @Test
    void shouldPageAlarmsAndCheckpoints() {
        String run = createRun();
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 1; step <= 9; step++) {
            points.add(Map.of("name", "loss", "step", step, "value", step % 2 == 1 ? "NaN" : 1.0)); // 5 non-finite stretches
        }
        as(eve()).contentType(ContentType.JSON).body(Map.of("points", points)).post("/api/runs/{id}/metrics", run).then().statusCode(200);
        Response first = as(eve()).get("/api/runs/{id}/alarms?limit=3", run);
        first.then().statusCode(200).body("$", hasSize(3)).body("fromStep", equalTo(List.of(1, 3, 5)));
        String next = first.header(RunResource.NEXT_CURSOR);
        assertNotNull(next);
        as(eve()).get("/api/runs/{id}/alarms?limit=3&after=" + next, run).then().statusCode(200)
                .body("fromStep", equalTo(List.of(7, 9))).header(RunResource.NEXT_CURSOR, nullValue());

        for (int step : List.of(2, 4, 6)) {
            as(eve()).contentType(ContentType.JSON)
                    .body(Map.of("step", step, "target", Map.of("endpoint", "vllm-local", "model", "ckpt-" + step)))
                    .post("/api/runs/{id}/checkpoints", run).then().statusCode(201);
        }
        Response page = as(eve()).get("/api/runs/{id}/checkpoints?limit=2", run);
        page.then().statusCode(200).body("step", equalTo(List.of(2, 4)));
        as(eve()).get("/api/runs/{id}/checkpoints?limit=2&after=" + page.header(RunResource.NEXT_CURSOR), run)
                .then().statusCode(200).body("step", equalTo(List.of(6))).header(RunResource.NEXT_CURSOR, nullValue());
    }
}
