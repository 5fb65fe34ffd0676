package dev.lookout.systemtests;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The attacks a reviewer could make on blind review, through the gateway with real Keycloak tokens. rita (reviewer
 * only) tries to learn which side of her task is the candidate: follow an id in the task to its batch and targets,
 * read the probe run's comparison or outputs and match the texts, or take a lease with a GET. eve (engineer) reads
 * the same things; after the batch closes, rita may too.
 */
@ExtendWith(SystemExtension.class)
class AttackReviewsIT {

    static String endpoint;
    static String run;
    static String probeRun;
    static String batch;
    static JsonPath batchAsEngineer;

    /** A run with one checkpoint, its probe run completed and its review batch (open) built. */
    @BeforeAll
    static void anOpenBatch() {
        String job = Api.trainingJobToken();
        endpoint = Seed.unique("sim-attack");
        Seed.endpoint(job, "demo", endpoint, 200);
        String suite = Seed.unique("attack");
        Seed.suite(job, "demo", suite, Seed.eightProbes());
        run = Seed.run(job, "demo", Seed.unique("attack-reviews"), endpoint, suite);
        Seed.checkpoint(job, run, 600, endpoint);
        probeRun = (String) Seed.awaitProbeRunsCompleted(run, 1).get(0).get("id");
        batch = Seed.awaitReviewBatch(null, "demo", probeRun);
        batchAsEngineer = Api.gateway(Api.userToken("eve")).when().get("/api/review-batches/" + batch)
                .then().statusCode(200).body("status", equalTo("open")).extract().jsonPath();
    }

    /** What a reviewer reads to unblind: the batch, its probe run's outputs, its comparison (by probe run and pair). */
    static Map<String, Function<RequestSpecification, Response>> unblindingReads() {
        String suiteVersion = batchAsEngineer.getString("suiteVersionId");
        String candidate = batchAsEngineer.getString("candidate.endpoint") + "/" + batchAsEngineer.getString("candidate.model");
        String baseline = batchAsEngineer.getString("baseline.endpoint") + "/" + batchAsEngineer.getString("baseline.model");
        return Map.of(
                "GET /api/review-batches/{batch}", r -> r.get("/api/review-batches/" + batch),
                "GET /api/probe-runs/{id}/outputs", r -> r.get("/api/probe-runs/" + probeRun + "/outputs"),
                "GET /api/comparisons?probeRun=", r -> r.queryParam("probeRun", probeRun).get("/api/comparisons"),
                "GET /api/comparisons?suiteVersion=&candidate=&baseline=", r -> r.queryParam("suiteVersion", suiteVersion)
                        .queryParam("candidate", candidate).queryParam("baseline", baseline).get("/api/comparisons"),
                // the same texts with the roles swapped
                "GET /api/comparisons?…&candidate=<baseline>&baseline=<candidate>", r -> r.queryParam("suiteVersion",
                        suiteVersion).queryParam("candidate", baseline).queryParam("baseline", candidate)
                        .get("/api/comparisons"));
    }

    @Test
    void aTaskCarriesAnOpaqueIdAndNothingThatLeadsToItsTargets() {
        Response task = Api.gateway(Api.userToken("rita")).queryParam("project", "demo").when().post("/api/reviews/next");
        assertEquals(200, task.statusCode(), task.asString());
        Map<String, Object> body = task.jsonPath().getMap("$");
        assertEquals(Set.of("taskId", "messages", "a", "b", "rubric", "progress", "leasedUntil"), body.keySet(),
                task.asString());
        for (String secret : List.of(batch, probeRun, run, endpoint, "demo-ckpt", "demo-base",
                batchAsEngineer.getString("suiteVersionId"))) {
            assertFalse(task.asString().contains(secret), "the task names " + secret + ": " + task.asString());
        }
    }

    @Test
    void aGetNeverLeasesATask() {
        String rita = Api.userToken("rita");
        Api.gateway(rita).queryParam("project", "demo").when().get("/api/reviews/next")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", "POST")
                .body("status", equalTo(405))
                .body("detail", containsString("POST /api/reviews/next"));
        Api.anonymous().queryParam("project", "demo").when().get("/api/reviews/next").then().statusCode(401);
        Api.gateway(rita).queryParam("project", "demo").when().post("/api/reviews/next")
                .then().statusCode(200).body("taskId", not(equalTo(null)));
    }

    @Test
    void aReviewerCannotReadWhatTheOpenBatchCoversButAnEngineerCan() {
        String rita = Api.userToken("rita");
        String eve = Api.userToken("eve");
        unblindingReads().forEach((what, call) -> {
            Response refused = call.apply(Api.gateway(rita));
            assertEquals(404, refused.statusCode(), "rita: " + what + " → " + refused.asString());
            assertTrue(refused.contentType().startsWith("application/problem+json"), what + ": " + refused.contentType());
            assertFalse(refused.asString().contains("demo-ckpt") || refused.asString().contains(endpoint),
                    what + ": the refusal names a target: " + refused.asString());
            Response allowed = call.apply(Api.gateway(eve));
            assertEquals(200, allowed.statusCode(), "eve: " + what + " → " + allowed.asString());
        });
        // what eve read holds the texts rita must not match
        Api.gateway(eve).queryParam("probeRun", probeRun).when().get("/api/comparisons")
                .then().statusCode(200).body("items", hasSize(greaterThan(0)))
                .body("items[0].candidate.text", not(equalTo(null)));
        Api.gateway(eve).when().get("/api/probe-runs/" + probeRun + "/outputs")
                .then().statusCode(200).body("$", hasSize(greaterThan(0)));
        // nor do the lists and verdicts show the open batch or its targets to rita
        Api.gateway(rita).queryParam("project", "demo").when().get("/api/review-batches")
                .then().statusCode(200).body("id", not(hasItem(batch)));
        Api.gateway(rita).queryParam("run", run).when().get("/api/verdicts")
                .then().statusCode(200).body("$", hasSize(0));
        Api.gateway(eve).queryParam("run", run).when().get("/api/verdicts").then().statusCode(200).body("$", hasSize(1));
        // the probe run itself (no texts) stays readable; the round report leaves out the comparison's per-side aggregates
        Api.gateway(rita).when().get("/api/probe-runs/" + probeRun).then().statusCode(200);
        Api.gateway(rita).when().get("/api/rounds/" + run).then().statusCode(200)
                .body("checkpoints[0].behaviour.checks", equalTo(null))
                .body("checkpoints[0].behaviour.stockPhrases", equalTo(null))
                .body("checkpoints[0].missing", hasItem(containsString("hidden from reviewers")));
        Api.gateway(eve).when().get("/api/rounds/" + run).then().statusCode(200)
                .body("checkpoints[0].missing", not(hasItem(containsString("hidden from reviewers"))))
                .body("checkpoints[0].missing", not(hasItem(containsString("unknown"))));
    }

    @Test
    void afterTheBatchClosesTheReviewerReadsItAll() {
        // a batch of its own, so that closing it takes nothing from the other tests
        String job = Api.trainingJobToken();
        String suite = Seed.unique("attack-closed");
        Seed.suite(job, "demo", suite, Seed.eightProbes());
        String closedRun = Seed.run(job, "demo", Seed.unique("attack-closed"), endpoint, suite);
        Seed.checkpoint(job, closedRun, 400, endpoint);
        String closedProbeRun = (String) Seed.awaitProbeRunsCompleted(closedRun, 1).get(0).get("id");
        String closedBatch = Seed.awaitReviewBatch(null, "demo", closedProbeRun);
        String rita = Api.userToken("rita");
        Api.gateway(rita).queryParam("probeRun", closedProbeRun).when().get("/api/comparisons").then().statusCode(404);

        Api.gateway(Api.userToken("eve")).when().post("/api/review-batches/" + closedBatch + "/close")
                .then().statusCode(200).body("status", equalTo("closed"));
        Api.gateway(rita).when().get("/api/review-batches/" + closedBatch)
                .then().statusCode(200).body("candidate.model", equalTo("demo-ckpt-400"));
        Api.gateway(rita).queryParam("probeRun", closedProbeRun).when().get("/api/comparisons")
                .then().statusCode(200).body("items", hasSize(greaterThan(0)));
        Api.gateway(rita).when().get("/api/probe-runs/" + closedProbeRun + "/outputs")
                .then().statusCode(200).body("$", hasSize(greaterThan(0)));
        Api.gateway(rita).queryParam("run", closedRun).when().get("/api/verdicts").then().statusCode(200)
                .body("$", hasSize(1));
        // the other batch (same endpoint, another suite version) is still open and still hidden
        Api.gateway(rita).queryParam("probeRun", probeRun).when().get("/api/comparisons").then().statusCode(404);
    }
}
