package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The skeleton round, through the gateway with real tokens, every hop through RabbitMQ. */
@ExtendWith(SystemExtension.class)
class SkeletonRoundIT {

    @Test
    void aTrainingJobsRoundEndsInARoundReportWithLossChangeAndVerdict() throws IOException {
        SystemUnderTest system = SystemUnderTest.get();
        String job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        String suite = Seed.unique("skeleton");
        Seed.suite(job, suite);

        // 1. the run
        String run = Seed.run(job, Seed.unique("skeleton-sft"), endpoint, suite);
        Api.gateway(job).when().get("/api/runs/" + run).then().statusCode(200)
                .body("project", equalTo("demo")).body("baseline.endpoint", equalTo(endpoint))
                .body("baseline.model", equalTo("demo-base"));

        // 2. metrics and an HF trainer_state.json
        Api.gateway(job)
                .body(Map.of("points", List.of(
                        Map.of("name", "train/loss", "step", 1000, "value", 0.50),
                        Map.of("name", "train/loss", "step", 1010, "value", 0.49))))
                .when().post("/api/runs/" + run + "/metrics")
                .then().statusCode(200).body("stored", equalTo(2));
        byte[] trainerState = Files.readAllBytes(system.repoFile("deploy/local/demo/trainer_state.json"));
        Api.gateway(job).contentType(ContentType.JSON).queryParam("format", "auto").body(trainerState)
                .when().post("/api/runs/" + run + "/logs")
                .then().statusCode(200).body("points", greaterThan(100));

        // 3. two checkpoints → checkpoint.registered → probe runs (candidate vs baseline) on the simulator
        String ckpt200 = Seed.checkpoint(job, run, 200, endpoint);
        String ckpt400 = Seed.checkpoint(job, run, 400, endpoint);
        List<Map<String, Object>> probeRuns = Seed.awaitProbeRunsCompleted(run, 2);
        assertEquals(2, probeRuns.size(), "one probe run per checkpoint: " + probeRuns);
        for (Map<String, Object> probeRun : probeRuns) {
            JsonPath p = Api.gateway(job).when().get("/api/probe-runs/" + probeRun.get("id"))
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(8, p.getInt("total"), "4 probes x (candidate, baseline): " + p.prettify());
            assertEquals(8, p.getInt("counts.done"), p.prettify());
            assertTrue(List.of(ckpt200, ckpt400).contains(p.getString("checkpointId")), p.prettify());
            assertNotNull(p.get("comparison"), p.prettify());
        }

        // 4. review-service builds blind pairwise batches; rita gets tasks and votes until one of this run's counts
        await("review batches of both probe runs").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.gateway(job).queryParam("project", "demo").when().get("/api/review-batches")
                        .then().statusCode(200).extract().jsonPath()
                        .getList("findAll { it.runId == '" + run + "' && it.against == 'base' }").size() == 2);
        String rita = Api.userToken("rita");
        int votes = 0;
        while (votesInRound(job, run) == 0) {
            assertTrue(votes < 40, "after " + votes + " votes, none counted for run " + run);
            Response next = await("a review task for rita").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Api.gateway(rita).queryParam("project", "demo").when().post("/api/reviews/next"),
                            r -> r.statusCode() == 200);
            JsonPath task = next.then().body("taskId", notNullValue()).body("messages", hasSize(greaterThan(0)))
                    .body("a.text", notNullValue()).body("b.text", notNullValue()).extract().jsonPath();
            String body = next.asString();
            assertTrue(!body.contains("demo-ckpt") && !body.contains("demo-base") && !body.contains(endpoint),
                    "a review task never names targets: " + body);
            Api.gateway(rita).body(Map.of("choice", "A", "tags", List.of(), "comment", "system test"))
                    .when().post("/api/reviews/" + task.getString("taskId") + "/vote")
                    .then().statusCode(200);
            votes++;
        }

        // 5. the round report: per checkpoint loss, its change, the share of changed outputs, the verdict so far
        JsonPath round = await("round report with both checkpoints' comparisons and one vote")
                .atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.gateway(job).when().get("/api/rounds/" + run).then().statusCode(200).extract().jsonPath(),
                        r -> r.getList("checkpoints").size() == 2
                                && r.getList("checkpoints.behaviour.shareChanged").stream().allMatch(v -> v != null)
                                && r.getList("checkpoints.verdict.votes").stream()
                                        .mapToInt(v -> v == null ? 0 : ((Number) v).intValue()).sum() >= 1);
        String report = round.prettify();
        assertEquals(run, round.getString("run.id"), report);
        assertEquals(List.of(200, 400), round.getList("checkpoints.step"), report);
        List<Object> losses = round.getList("checkpoints.loss.train");
        assertTrue(losses.stream().allMatch(v -> v instanceof Number), "loss at each checkpoint: " + report);
        assertNotEquals(losses.get(0), losses.get(1), report);
        assertTrue(round.get("checkpoints[1].loss.trainDelta") instanceof Number,
                "loss change since the previous checkpoint: " + report);
        for (Object share : round.getList("checkpoints.behaviour.shareChanged")) {
            double s = ((Number) share).doubleValue();
            assertTrue(s >= 0 && s <= 1, "share of changed outputs in [0, 1]: " + report);
        }
        System.out.println("[skeleton] round report:\n" + report);
    }

    private static int votesInRound(String token, String run) {
        return Api.gateway(token).when().get("/api/rounds/" + run).then().statusCode(200).extract().jsonPath()
                .getList("checkpoints.verdict.votes").stream()
                .mapToInt(v -> v == null ? 0 : ((Number) v).intValue()).sum();
    }
}
