package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;

/**
 * What cannot work is refused at the door, and what can only be found out later is shown on the probe run: through the
 * gateway with real tokens, ingest-service asking probe-runner with the caller's token.
 */
@ExtendWith(SystemExtension.class)
class RoundDoorIT {

    static String job;
    static String endpoint;
    static String suite;

    @BeforeAll
    static void anEndpointAndASuite() {
        job = Api.trainingJobToken();
        endpoint = Seed.unique("sim-door");
        Seed.endpoint(job, endpoint);
        suite = Seed.unique("door");
        Seed.suite(job, suite);
    }

    private static Map<String, Object> runBody(String name, String suiteName, String baselineEndpoint) {
        Map<String, Object> body = new HashMap<>(Map.of("project", "demo", "name", name,
                "baseline", Map.of("endpoint", baselineEndpoint, "model", "demo-base")));
        if (suiteName != null) {
            body.put("suite", suiteName);
        }
        return body;
    }

    private static List<Map<String, Object>> probeRuns(String run) {
        return Api.gateway(Api.trainingJobToken()).queryParam("project", "demo").queryParam("run", run)
                .when().get("/api/probe-runs").then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void aRunNamingAnUnknownSuiteOrBaselineEndpointIs422NamingTheFieldAndCreatesNothing() {
        String name = Seed.unique("door-refused");
        Api.gateway(job).body(runBody(name, "no-such-suite", endpoint)).when().post("/api/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("suite")))
                .body("detail", containsString("suite 'no-such-suite' does not exist in project demo"));
        Api.gateway(job).body(runBody(name, suite, "no-such-endpoint")).when().post("/api/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("baseline.endpoint")));
        // another project's suite is not this project's: otto's own suite does not exist in demo
        String ottoSuite = Seed.unique("otto-door");
        Seed.suite(Api.userToken("otto"), "other", ottoSuite, Seed.eightProbes());
        Api.gateway(job).body(runBody(name, ottoSuite, endpoint)).when().post("/api/runs")
                .then().statusCode(422).body("errors.field", equalTo(List.of("suite")));
        Api.gateway(job).when().get("/api/runs?project=demo&limit=1000").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));
    }

    @Test
    void aCheckpointOnAnUnknownEndpointIs422AndOneWhoseModelIsNotListedCarriesAWarning() {
        String run = Seed.run(job, Seed.unique("door-ckpt"), endpoint, suite);
        Api.gateway(job).body(Map.of("step", 200, "target", Map.of("endpoint", "no-such-endpoint", "model", "demo-ckpt-200")))
                .when().post("/api/runs/" + run + "/checkpoints")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("target.endpoint")));
        Api.gateway(job).when().get("/api/runs/" + run + "/checkpoints").then().statusCode(200)
                .body("size()", equalTo(0));

        // the simulator answers demo-ckpt-800 but its /v1/models does not list it: stored, probed, and warned about
        Seed.checkpoint(job, run, 800, endpoint, "demo-ckpt-800");
        Map<String, Object> warned = await("the model list warning").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> probeRuns(run), l -> l.size() == 1 && !((List<?>) l.get(0).get("warnings")).isEmpty())
                .get(0);
        List<?> warnings = (List<?>) warned.get("warnings");
        assertEquals(List.of("model 'demo-ckpt-800' is not listed by endpoint '" + endpoint + "' (/v1/models lists: "
                + "demo-base, demo-ckpt-200, demo-ckpt-400, demo-ckpt-600, demo-noadapter)"), warnings);
        Map<String, Object> done = Seed.awaitProbeRunsCompleted(run, 1).get(0);
        assertEquals(warnings, done.get("warnings"), "the warning stays once the run completed");
    }

    @Test
    void aRunWithoutSuiteIsAcceptedAndASuiteSetLaterProbesTheCheckpointsThatFollow() {
        String run = Seed.run(job, Seed.unique("door-nosuite"), endpoint, null);
        Api.gateway(job).when().get("/api/runs/" + run).then().statusCode(200).body("suite", nullValue());
        Seed.checkpoint(job, run, 200, endpoint);

        Api.gateway(job).body(Map.of("suite", "no-such-suite")).when().patch("/api/runs/" + run)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("suite")));
        Api.gateway(Api.userToken("vic")).body(Map.of("suite", suite)).when().patch("/api/runs/" + run)
                .then().statusCode(403);
        Api.gateway(job).body(Map.of("suite", suite)).when().patch("/api/runs/" + run)
                .then().statusCode(200).body("suite", equalTo(suite)).body("status", equalTo("running"));
        Api.gateway(Api.userToken("vic")).when().get("/api/runs/" + run).then().statusCode(200)
                .body("suite", equalTo(suite));

        Seed.checkpoint(job, run, 400, endpoint);
        List<Map<String, Object>> runs = Seed.awaitProbeRunsCompleted(run, 1);
        assertEquals(1, runs.size(), "only the checkpoint registered after the suite was set is probed: " + runs);
        assertEquals(400, ((Number) runs.get(0).get("step")).intValue());
    }

    @Test
    void aProbeRunWhoseCandidateNeverAnswersFailsWithItsReasonVisible() {
        String dead = Seed.unique("down");
        Api.gateway(job).body(Map.of("project", "demo", "name", dead,
                        "baseUrl", "http://127.0.0.1:" + Ports.NOTHING_LISTENS, "maxConcurrency", 2, "timeoutMs", 5000))
                .when().post("/api/endpoints").then().statusCode(201);
        String run = Seed.run(job, Seed.unique("door-down"), endpoint, suite);
        String checkpoint = Seed.checkpoint(job, run, 200, dead);

        Map<String, Object> failed = await("the probe run fails").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> probeRuns(run), l -> l.size() == 1 && "failed".equals(l.get(0).get("status"))).get(0);
        String reason = (String) failed.get("failureReason");
        assertTrue(reason != null && reason.startsWith("every call to the candidate (endpoint '" + dead
                + "', model 'demo-ckpt-200') failed (4 of 4); first error: "), String.valueOf(reason));
        assertEquals(checkpoint, failed.get("checkpointId"));
        assertEquals(List.of(), failed.get("warnings"), "a model server that does not answer /v1/models: no warning");
        JsonPath one = Api.gateway(Api.userToken("vic")).when().get("/api/probe-runs/" + failed.get("id"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("failed", one.getString("status"));
        assertEquals(reason, one.getString("failureReason"));
        assertFalse(reason.contains("Exception"), "our own sentence, no class name: " + reason);
    }
}
