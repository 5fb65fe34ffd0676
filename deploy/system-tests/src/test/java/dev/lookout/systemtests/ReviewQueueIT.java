package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The review queue through the gateway with real tokens: a three-checkpoint run is judged against the base and
 * against the previous checkpoint; a second run reusing the model names still gets its batch; the newest work comes
 * first, {@code ?run=} pins a run, a skipped item goes to another reviewer, and a batch with a vote cap stops.
 * Which batch a blind task belonged to is read back from the per-run verdicts (which batch gained the vote).
 */
@ExtendWith(SystemExtension.class)
class ReviewQueueIT {

    static String suiteVersion;
    static String endpoint;
    static String older;
    static String newer;
    static String eve;

    /** Run "older" with checkpoints 200, 400, 600; then run "newer" whose one checkpoint reuses demo-ckpt-600. */
    @BeforeAll
    static void twoRuns() {
        String job = Api.trainingJobToken();
        eve = Api.userToken("eve");
        endpoint = Seed.unique("sim-queue");
        Seed.endpoint(job, "demo", endpoint, 200);
        String suite = Seed.unique("queue");
        Seed.suite(job, "demo", suite, Seed.eightProbes());
        older = Seed.run(job, "demo", Seed.unique("queue-older"), endpoint, suite);
        for (int step : List.of(200, 400, 600)) {
            Seed.checkpoint(job, older, step, endpoint);
        }
        List<Map<String, Object>> probeRuns = Seed.awaitProbeRunsCompleted(older, 3);
        suiteVersion = (String) probeRuns.get(0).get("suiteVersionId");
        awaitBatches(older, 5);
        newer = Seed.run(job, "demo", Seed.unique("queue-newer"), endpoint, suite);
        Seed.checkpoint(job, newer, 600, endpoint, "demo-ckpt-600");
        Seed.awaitProbeRunsCompleted(newer, 1);
        awaitBatches(newer, 1);
    }

    static List<Map<String, Object>> batchesOf(String run) {
        return Api.gateway(eve).queryParam("project", "demo").when().get("/api/review-batches")
                .then().statusCode(200).extract().jsonPath().getList("findAll { it.runId == '" + run + "' }");
    }

    static void awaitBatches(String run, int count) {
        await("review batches of run " + run).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> batchesOf(run).size() >= count);
    }

    /** Votes per (step, against) in the run's verdicts. */
    static Map<String, Integer> votesOf(String run) {
        JsonPath verdicts = Api.gateway(eve).when().get("/api/verdicts?run=" + run).then().statusCode(200)
                .extract().jsonPath();
        Map<String, Integer> votes = new java.util.TreeMap<>();
        for (int i = 0; i < verdicts.getList("$").size(); i++) {
            votes.put(verdicts.getInt("[" + i + "].step") + "/" + verdicts.getString("[" + i + "].against"),
                    verdicts.getInt("[" + i + "].votes"));
        }
        return votes;
    }

    static Response next(String token, String run) {
        var request = Api.gateway(token).queryParam("project", "demo");
        if (run != null) {
            request = request.queryParam("run", run);
        }
        Response task = request.when().post("/api/reviews/next");
        assertEquals(200, task.statusCode(), "a task: " + task.asString());
        return task;
    }

    static void vote(String token, Response task) {
        Api.gateway(token).body(Map.of("choice", "A", "tags", List.of()))
                .when().post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").then().statusCode(200);
    }

    /**
     * Leases (unpinned) and votes until a vote lands where {@code landed} sees it. A reviewer may still hold a live
     * lease from another test class, which the queue hands out again first: that vote lands elsewhere and the loop
     * goes on. Fails after five tries.
     */
    static void voteUntil(String token, java.util.function.BooleanSupplier landed) {
        for (int i = 0; i < 5; i++) {
            Response task = next(token, null);
            int status = Api.gateway(token).body(Map.of("choice", "A", "tags", List.of()))
                    .when().post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").statusCode();
            assertTrue(status == 200 || status == 409, "vote: " + status);
            if (landed.getAsBoolean()) {
                return;
            }
        }
        throw new AssertionError("five votes and none landed where expected");
    }

    /** Whether either run's verdicts changed since the readings. */
    static boolean mineChanged(Map<String, Integer> olderBefore, Map<String, Integer> newerBefore) {
        return !votesOf(older).equals(olderBefore) || !votesOf(newer).equals(newerBefore);
    }

    /** Which (step/against) of the run gained exactly one vote between two readings; fails otherwise. */
    static String gained(Map<String, Integer> before, Map<String, Integer> after) {
        List<String> changed = after.keySet().stream()
                .filter(k -> after.get(k) - before.getOrDefault(k, 0) != 0).toList();
        assertEquals(1, changed.size(), "one verdict gained the vote: " + before + " → " + after);
        return changed.get(0);
    }

    @Test
    void aThreeCheckpointRunIsJudgedAgainstThePreviousCheckpointAndTheBase() {
        List<Map<String, Object>> batches = batchesOf(older);
        assertEquals(5, batches.size(), "3 against base + 2 against the previous checkpoint: " + batches);
        List<Map<String, Object>> previous = batches.stream().filter(b -> "previous".equals(b.get("against"))).toList();
        assertEquals(2, previous.size(), batches.toString());
        assertEquals(java.util.Set.of(200, 400), previous.stream().map(b -> b.get("baselineStep")).collect(
                java.util.stream.Collectors.toSet()), previous.toString());
        for (Map<String, Object> b : previous) {
            assertEquals("demo-ckpt-" + b.get("baselineStep"), ((Map<?, ?>) b.get("baseline")).get("model"), b.toString());
        }
        int previousItems = previous.stream().mapToInt(b -> ((Number) b.get("items")).intValue()).sum();
        assertTrue(previousItems > 0, "answers that changed between checkpoints are queued: " + previous);
        Api.gateway(eve).when().get("/api/verdicts?run=" + older).then().statusCode(200)
                .body("against", equalTo(List.of("base", "base", "previous", "base", "previous")))
                .body("step", equalTo(List.of(200, 400, 400, 600, 600)));
        Api.gateway(eve).when().get("/api/verdicts/bradley-terry?run=" + older).then().statusCode(200)
                .body("step", equalTo(java.util.Arrays.asList(null, 200, 400, 600)));
    }

    @Test
    void aSecondRunReusingModelNamesStillGetsItsBatch() {
        List<Map<String, Object>> batches = batchesOf(newer);
        assertEquals(1, batches.size(), batches.toString());
        int olderItems = batchesOf(older).stream()
                .filter(b -> "base".equals(b.get("against")) && Integer.valueOf(600).equals(b.get("step")))
                .mapToInt(b -> ((Number) b.get("items")).intValue()).sum();
        assertTrue(olderItems > 0, "the older run queued its step-600 answers");
        assertEquals(olderItems, ((Number) batches.get(0).get("items")).intValue(),
                "queue state is per run: the same answers are queued again for the newer run: " + batches);
    }

    @Test
    void nextServesTheNewestWorkFirstAndRunPinsTheQueue() {
        String rita = Api.userToken("rita");
        Map<String, Integer> newerBefore = votesOf(newer);
        Map<String, Integer> olderBeforeRita = votesOf(older);
        voteUntil(rita, () -> mineChanged(olderBeforeRita, newerBefore));
        assertEquals(olderBeforeRita, votesOf(older), "nothing of the older run before the newer one");
        assertEquals("600/base", gained(newerBefore, votesOf(newer)), "the newest run comes first");

        String rob = Api.userToken("rob");
        Map<String, Integer> olderBefore = votesOf(older);
        vote(rob, next(rob, older));
        assertTrue(gained(olderBefore, votesOf(older)).startsWith("600/"), "pinned run: its highest step first");
    }

    @Test
    void aSkippedItemGoesToAnotherReviewerAndNotBackToTheSkipper() {
        String rita = Api.userToken("rita");
        String rob = Api.userToken("rob");
        Response ritas = next(rita, older);
        String skippedText = ritas.jsonPath().getString("a.text") + ritas.jsonPath().getString("b.text");
        Api.gateway(rita).when().post("/api/reviews/" + ritas.jsonPath().getString("taskId") + "/skip")
                .then().statusCode(204);

        Response robs = next(rob, older);
        assertEquals(skippedText, robs.jsonPath().getString("a.text") + robs.jsonPath().getString("b.text"),
                "rob gets the item rita skipped");
        Response ritasNext = next(rita, older);
        assertNotEquals(skippedText, ritasNext.jsonPath().getString("a.text") + ritasNext.jsonPath().getString("b.text"),
                "rita gets another item");
        Api.gateway(rita).body(Map.of("choice", "A", "tags", List.of()))
                .when().post("/api/reviews/" + ritas.jsonPath().getString("taskId") + "/vote").then().statusCode(409);
        vote(rob, robs);
        vote(rita, ritasNext);
    }

    @Test
    void aBatchWithAVoteCapStopsAndLeavesTheQueue() {
        String rita = Api.userToken("rita");
        String rob = Api.userToken("rob");
        // an on-demand batch of 600 against 200 (no batch has that pair), capped at two votes
        String batch = Api.gateway(eve)
                .body(Map.of("project", "demo", "suiteVersion", suiteVersion,
                        "candidate", Map.of("endpoint", endpoint, "model", "demo-ckpt-600"),
                        "baseline", Map.of("endpoint", endpoint, "model", "demo-ckpt-200"), "maxVotes", 2))
                .when().post("/api/review-batches").then().statusCode(201)
                .body("stopping.maxVotes", equalTo(2)).body("stopped", nullValue())
                .extract().path("id");
        voteUntil(rita, () -> votesOfBatch(batch) == 1);
        voteUntil(rob, () -> votesOfBatch(batch) == 2);
        Api.gateway(eve).when().get("/api/review-batches/" + batch).then().statusCode(200)
                .body("stopped.reason", equalTo("maxVotes")).body("stopped.atVotes", equalTo(2));
        String pair = "&candidate=" + endpoint + "/demo-ckpt-600&baseline=" + endpoint + "/demo-ckpt-200";
        Api.gateway(eve).when().get("/api/verdicts?project=demo" + pair).then().statusCode(200)
                .body("votes", equalTo(2)).body("stopped.reason", equalTo("maxVotes"));

        // the rest left the queue: rita's next task comes from elsewhere and the capped batch keeps two votes
        Map<String, Integer> newerBefore = votesOf(newer);
        Map<String, Integer> olderBefore = votesOf(older);
        voteUntil(rita, () -> mineChanged(olderBefore, newerBefore));
        assertEquals("600/base", gained(newerBefore, votesOf(newer)), "the newest open work after the stopped batch");
        Api.gateway(eve).when().get("/api/verdicts?project=demo" + pair).then().body("votes", equalTo(2));
    }

    /** Counted votes of a batch (its pair verdict over this one batch). */
    static int votesOfBatch(String batch) {
        JsonPath b = Api.gateway(eve).when().get("/api/review-batches/" + batch).then().statusCode(200)
                .extract().jsonPath();
        return Api.gateway(eve).queryParam("project", "demo")
                .queryParam("candidate", b.getString("candidate.endpoint") + "/" + b.getString("candidate.model"))
                .queryParam("baseline", b.getString("baseline.endpoint") + "/" + b.getString("baseline.model"))
                .when().get("/api/verdicts").then().statusCode(200).extract().jsonPath().getInt("votes");
    }

    @Test
    void theRubricAndReviewSettingsAreRoutedPerProject() {
        String vic = Api.userToken("vic");
        Api.gateway(vic).when().get("/api/projects/demo/rubric").then().statusCode(200)
                .body("id", hasItem("stock-phrase"));
        Api.gateway(vic).body(List.of(Map.of("label", Map.of("en", "x")))).when().put("/api/projects/demo/rubric")
                .then().statusCode(403);
        Api.gateway(vic).when().get("/api/projects/demo/review-settings").then().statusCode(200)
                .body("against", equalTo("both"));
        Api.gateway(Api.userToken("otto")).when().get("/api/projects/demo/rubric").then().statusCode(404);
    }
}
