package dev.lookout.systemtests;

import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.RestAssured;

/** A few points of the role x endpoint matrix, with real Keycloak tokens, through the gateway and on a backend directly. */
@ExtendWith(SystemExtension.class)
class SecurityIT {

    static String demoRun;

    @BeforeAll
    static void aRunInDemo() {
        String job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        demoRun = Seed.run(job, Seed.unique("security"), endpoint, null);
    }

    @Test
    void withoutATokenTheApiAnswers401() {
        Api.anonymous().when().get("/api/runs?project=demo").then().statusCode(401);
        Api.anonymous().when().get("/api/runs/" + demoRun).then().statusCode(401);
        RestAssured.given().baseUri("http://127.0.0.1:" + Ports.INGEST).when().get("/api/runs/" + demoRun)
                .then().statusCode(401);
    }

    @Test
    void aViewerReadsButCannotWrite() {
        String vic = Api.userToken("vic");
        Api.gateway(vic).when().get("/api/runs/" + demoRun).then().statusCode(200).body("id", equalTo(demoRun));
        Api.gateway(vic).body(Map.of("project", "demo", "name", Seed.unique("vic"),
                        "baseline", Map.of("endpoint", "sim", "model", "demo-base")))
                .when().post("/api/runs").then().statusCode(403);
        Api.gateway(vic).body(Map.of("points", java.util.List.of(Map.of("name", "train/loss", "step", 1, "value", 1.0))))
                .when().post("/api/runs/" + demoRun + "/metrics").then().statusCode(403);
    }

    @Test
    void aReviewerVotesButDoesNotManageRuns() {
        String rita = Api.userToken("rita");
        Api.gateway(rita).when().get("/api/rounds/" + demoRun).then().statusCode(200);
        Api.gateway(rita).body(Map.of("step", 100, "target", Map.of("endpoint", "sim", "model", "demo-ckpt-200")))
                .when().post("/api/runs/" + demoRun + "/checkpoints").then().statusCode(403);
    }

    @Test
    void anotherProjectsRunIsNotFoundNotForbidden() {
        String otto = Api.userToken("otto");
        Api.gateway(otto).when().get("/api/runs").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(demoRun)));
        Api.gateway(otto).when().get("/api/runs/" + demoRun).then().statusCode(404);
        Api.gateway(otto).when().get("/api/runs/" + demoRun + "/checkpoints").then().statusCode(404);
        Api.gateway(otto).when().get("/api/rounds/" + demoRun).then().statusCode(404);
        Api.gateway(otto).body(Map.of("project", "demo", "name", Seed.unique("otto"),
                        "baseline", Map.of("endpoint", "sim", "model", "demo-base")))
                .when().post("/api/runs").then().statusCode(404);
    }

    @Test
    void aReviewerOfAnotherProjectGetsNoDemoTasks() {
        String otto = Api.userToken("otto");
        Api.gateway(otto).queryParam("project", "demo").when().post("/api/reviews/next")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(404), equalTo(204)));
    }

    @Test
    void underProjectsOnlyTheTwoSettingsExist() {
        String eve = Api.userToken("eve");
        for (String path : new String[] {"/api/projects", "/api/projects/demo", "/api/projects/demo/runs",
                "/api/projects/demo/alarm-thresholds/extra"}) {
            Api.gateway(eve).when().get(path).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404));
        }
    }
}
