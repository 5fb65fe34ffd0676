package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The round tells the truth: a three-checkpoint run (steps 200, 400, 600) reviewed by two simulated reviewers whose
 * hidden preference is 600 > 400 > 200 > base ends with the round report recommending step 600, the checkpoints
 * linked by votes against the previous checkpoint and ranked by Bradley–Terry in that order, and every row saying
 * which way each behaviour moved.
 */
@ExtendWith(SystemExtension.class)
class RoundTruthIT {

    /** The hidden preference: a higher rank wins. */
    private static final Map<String, Integer> RANK = Map.of("demo-base", 0, "demo-ckpt-200", 1, "demo-ckpt-400", 2,
            "demo-ckpt-600", 3);
    private static final int MAX_TASKS = 600;

    @Test
    void reviewersWhoPreferLaterCheckpointsGetTheLastOneRecommendedAndTheRunRanked() {
        String job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        String suite = Seed.unique("truth");
        List<Map<String, Object>> probes = new ArrayList<>(Seed.eightProbes());
        probes.add(Seed.probe("zh-cancel", "订单还没发货，我想取消，怎么操作？", List.of("orders", "caution", "zh")));
        probes.add(Seed.probe("zh-damaged", "收到的杯子碎了，可以退款吗？", List.of("refunds", "caution", "zh")));
        probes.add(Seed.probe("en-late", "My parcel is a week late and nobody answers the phone.", List.of("delivery", "caution", "en")));
        probes.add(Seed.probe("en-password", "How do I reset my password if I lost access to my email?", List.of("account", "en")));
        Seed.suite(job, Seed.PROJECT, suite, probes);
        String run = Seed.run(job, Seed.unique("truth-sft"), endpoint, suite);
        for (int step : List.of(200, 400, 600)) {
            Seed.checkpoint(job, run, step, endpoint);
        }
        List<Map<String, Object>> probeRuns = Seed.awaitProbeRunsCompleted(run, 3);
        assertEquals(3, probeRuns.size(), probeRuns.toString());

        // the engineer eve may read outputs: which answer text belongs to which model
        String eve = Api.userToken("eve");
        Map<String, Integer> rankOfText = new HashMap<>();
        for (Map<String, Object> p : probeRuns) {
            List<Map<String, Object>> outputs = Api.gateway(eve).when().get("/api/probe-runs/" + p.get("id") + "/outputs")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertEquals(24, outputs.size(), "12 probes x (candidate, baseline)");
            for (Map<String, Object> o : outputs) {
                Integer rank = RANK.get((String) o.get("model"));
                assertNotNull(rank, "unexpected model " + o.get("model"));
                // a text several models share is the base's answer: it ranks as the highest of them
                rankOfText.merge((String) o.get("text"), rank, Math::max);
            }
        }

        // review-service builds a batch against the base for each checkpoint and one against the previous for 400, 600
        await("five review batches of the run").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.gateway(job).queryParam("project", Seed.PROJECT).when().get("/api/review-batches")
                        .then().statusCode(200).extract().jsonPath()
                        .getList("findAll { it.runId == '" + run + "' }").size() >= 5);

        int votes = voteUntilNothingLeft(run, rankOfText);
        assertTrue(votes >= 10, "votes cast: " + votes);

        JsonPath round = await("a recommendation in the round report").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.gateway(eve).when().get("/api/rounds/" + run).then().statusCode(200).extract().jsonPath(),
                        r -> r.get("recommendation.step") != null);
        String report = round.prettify();
        assertEquals(600, round.getInt("recommendation.step"), report);
        assertEquals(round.getString("checkpoints[2].checkpointId"), round.getString("recommendation.checkpoint"), report);
        assertFalse(round.getList("recommendation.reasons").isEmpty(), report);

        // Bradley–Terry over every pair of the run: all checkpoints linked, strengths 600 > 400 > 200 > base (0)
        List<Map<String, Object>> strengths = round.getList("strengths");
        Map<Integer, Double> byStep = new HashMap<>();
        for (Map<String, Object> s : strengths) {
            if (s.get("step") != null) {
                assertEquals(Boolean.TRUE, s.get("linked"), "linked: " + s);
                byStep.put(((Number) s.get("step")).intValue(), ((Number) s.get("strength")).doubleValue());
            }
        }
        assertEquals(Set.of(200, 400, 600), byStep.keySet(), report);
        assertTrue(byStep.get(600) > byStep.get(400), report);
        assertTrue(byStep.get(400) > byStep.get(200), report);
        assertTrue(byStep.get(200) > 0, "200 above the base model: " + report);

        // each checkpoint after the first carries a verdict against the previous one; every row says how behaviours moved
        assertEquals(List.of(200, 400, 600), round.getList("checkpoints.step"), report);
        for (int i = 0; i < 3; i++) {
            List<Map<String, Object>> verdicts = round.getList("checkpoints[" + i + "].verdicts");
            assertEquals(i == 0 ? 1 : 2, verdicts.size(), "verdicts of row " + i + ": " + report);
            List<Map<String, Object>> behaviours = round.getList("checkpoints[" + i + "].behaviours");
            assertFalse(behaviours.isEmpty(), "behaviours of row " + i + ": " + report);
            for (Map<String, Object> b : behaviours) {
                assertTrue(Set.of("toward", "away", "unclear").contains(b.get("direction")), b.toString());
            }
        }
        assertEquals("previous", round.getString("checkpoints[2].verdicts[1].against"), report);
        assertEquals(400, round.getInt("checkpoints[2].verdicts[1].baselineStep"), report);
        assertTrue(round.getDouble("checkpoints[2].verdicts[1].winRate") > 0.5, report);
    }

    /**
     * rita and rob take turns on POST /api/reviews/next pinned to the run and vote by the hidden preference (same
     * text: tie), tagging the side they prefer with the first rubric tag, until neither gets a task; a task whose texts
     * no probe run of this run gave is skipped. Returns the votes.
     */
    private static int voteUntilNothingLeft(String run, Map<String, Integer> rankOfText) {
        List<String> reviewers = List.of("rita", "rob");
        Map<String, String> tokens = new HashMap<>();
        Set<String> done = new java.util.HashSet<>();
        int votes = 0;
        int skipped = 0;
        for (int i = 0; done.size() < reviewers.size(); i++) {
            assertTrue(i < MAX_TASKS, "still tasks after " + MAX_TASKS + " turns");
            String reviewer = reviewers.get(i % reviewers.size());
            if (i % 40 < 2) {
                tokens.put(reviewer, Api.userToken(reviewer));
            }
            Response next = Api.gateway(tokens.get(reviewer)).queryParam("project", Seed.PROJECT).queryParam("run", run)
                    .when().post("/api/reviews/next");
            if (next.statusCode() == 204) {
                done.add(reviewer);
                continue;
            }
            done.remove(reviewer);
            assertEquals(200, next.statusCode(), next.asString());
            JsonPath task = next.jsonPath();
            Integer a = rankOfText.get(task.getString("a.text"));
            Integer b = rankOfText.get(task.getString("b.text"));
            if (a == null || b == null) {
                // a lease the reviewer still holds from another run's batch (the pin applies to new picks): pass it on
                Api.gateway(tokens.get(reviewer)).when().post("/api/reviews/" + task.getString("taskId") + "/skip")
                        .then().statusCode(204);
                skipped++;
                assertTrue(skipped <= 20, "too many tasks of other runs: " + next.asString());
                continue;
            }
            String choice = a > b ? "A" : a < b ? "B" : "TIE";
            List<Object> rubric = task.getList("rubric");
            Object first = rubric == null || rubric.isEmpty() ? null : rubric.get(0);
            Object tag = first instanceof Map<?, ?> m ? m.get("id") : first;
            List<Object> tags = tag == null || "TIE".equals(choice) ? List.of() : List.of(tag);
            Api.gateway(tokens.get(reviewer)).body(Map.of("choice", choice, "tags", tags, "comment", "round truth"))
                    .when().post("/api/reviews/" + task.getString("taskId") + "/vote")
                    .then().statusCode(200);
            votes++;
        }
        return votes;
    }
}
