package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.lookout.review.ReviewFixtures.as;
import static dev.lookout.review.ReviewFixtures.next;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue that follows the newest work (order, run pin, skip), pairs against the previous checkpoint, queue state
 * per run, adaptive stopping and the project rubric, against the real PostgreSQL and RabbitMQ.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewQueueTest {

    private static final String EP = ReviewFixtures.CANDIDATE_ENDPOINT;
    private static final String BASE = ReviewFixtures.BASELINE_ENDPOINT + "/" + ReviewFixtures.BASELINE_MODEL;

    @OidcWireMock
    WireMockServer wireMock;

    @BeforeEach
    void stubs() {
        ReviewFixtures.stubTokenEndpoint(wireMock);
    }

    /** n changed probes whose texts name the pair: candidate "&lt;tag&gt; cand i", baseline "&lt;tag&gt; base i". */
    private static JsonObject comparison(String project, String tag, int n) {
        JsonObject c = ReviewFixtures.comparison(project, n);
        for (Object o : c.getJsonArray("items")) {
            JsonObject item = (JsonObject) o;
            if (!"identical".equals(item.getString("probeId"))) {
                item.getJsonObject("candidate").put("text", tag + " " + item.getJsonObject("candidate").getString("text"));
                item.getJsonObject("baseline").put("text", tag + " " + item.getJsonObject("baseline").getString("text"));
            }
        }
        return c;
    }

    /** A batch against the base for a checkpoint's probe run, built on demand; its JSON. */
    private JsonPath batch(String project, UUID run, long step, String tag, int n, JsonObject extra) {
        UUID probeRun = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, run, UUID.randomUUID(), step,
                comparison(project, tag, n), "m-" + step);
        JsonObject body = new JsonObject().put("project", project).put("probeRun", probeRun.toString())
                .put("reviewsPerItem", 1).mergeIn(extra);
        return as("eve", "engineer", project).contentType("application/json").body(body.encode())
                .post("/api/review-batches").then().statusCode(201).extract().jsonPath();
    }

    private static String screenText(Response task) {
        return task.jsonPath().getString("a.text") + " | " + task.jsonPath().getString("b.text");
    }

    private static void voteCandidate(String reviewer, String project, Response task) {
        String side = task.jsonPath().getString("a.text").contains("cand") ? "A" : "B";
        as(reviewer, "reviewer", project).contentType("application/json")
                .body(new JsonObject().put("choice", side).encode())
                .post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").then().statusCode(200);
    }

    @Test
    void shouldServeTheNewestCheckpointFirstAndPinARun() {
        String project = ReviewFixtures.project();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        batch(project, older, 800, "old-800", 1, new JsonObject());
        batch(project, newer, 200, "new-200", 1, new JsonObject());
        batch(project, newer, 100, "new-100", 1, new JsonObject());

        Response first = next("rita", project);
        first.then().statusCode(200);
        assertTrue(screenText(first).contains("new-200"), "newest run, highest step first: " + screenText(first));
        voteCandidate("rita", project, first);
        Response second = next("rita", project);
        assertTrue(screenText(second).contains("new-100"), "then the same run's older step: " + screenText(second));

        Response pinned = as("rob", "reviewer", project).post("/api/reviews/next?project=" + project + "&run=" + older);
        pinned.then().statusCode(200);
        assertTrue(screenText(pinned).contains("old-800"), "pinned to the older run: " + screenText(pinned));
    }

    @Test
    void shouldHandASkippedItemToSomeoneElse() {
        String project = ReviewFixtures.project();
        batch(project, UUID.randomUUID(), 400, "skip", 2, new JsonObject());
        Response ritas = next("rita", project);
        String taskId = ritas.jsonPath().getString("taskId");
        as("rob", "reviewer", project).post("/api/reviews/" + taskId + "/skip").then().statusCode(404);
        as("rita", "reviewer", project).post("/api/reviews/" + taskId + "/skip").then().statusCode(204);
        as("rita", "reviewer", project).post("/api/reviews/" + taskId + "/skip").then().statusCode(204);

        Response robs = next("rob", project);
        assertEquals(screenText(ritas), screenText(robs), "the skipped item goes to the next reviewer");
        Response ritasNext = next("rita", project);
        assertNotEquals(screenText(ritas), screenText(ritasNext), "never back to the reviewer who skipped it");
        as("rita", "reviewer", project).contentType("application/json").body("{\"choice\": \"A\"}")
                .post("/api/reviews/" + taskId + "/vote").then().statusCode(409);
        voteCandidate("rita", project, ritasNext);
        as("rita", "reviewer", project).post("/api/reviews/" + ritasNext.jsonPath().getString("taskId") + "/skip")
                .then().statusCode(409);
        next("rita", project).then().statusCode(204);
    }

    @Test
    void shouldStopABatchAtMaxVotesAndTakeItsRestOutOfTheQueue() {
        String project = ReviewFixtures.project();
        String batchId = batch(project, UUID.randomUUID(), 400, "stop", 5, new JsonObject().put("maxVotes", 2))
                .getString("id");
        voteCandidate("rita", project, next("rita", project));
        as("eve", "engineer", project).get("/api/review-batches/" + batchId).then()
                .body("stopping.maxVotes", equalTo(2)).body("stopped", nullValue());
        voteCandidate("rob", project, next("rob", project));
        as("eve", "engineer", project).get("/api/review-batches/" + batchId).then().statusCode(200)
                .body("stopped.reason", equalTo("maxVotes")).body("stopped.atVotes", equalTo(2));
        next("rita", project).then().statusCode(204);
        next("ruth", project).then().statusCode(204);
        as("vic", "viewer", project).get("/api/verdicts?project=" + project + "&candidate=" + EP + "/m-400&baseline=" + BASE)
                .then().statusCode(200).body("stopped.reason", equalTo("maxVotes")).body("votes", equalTo(2))
                .body("votesNeeded", equalTo(2));
    }

    @Test
    void shouldStopWhenDecidedByTheProjectDefault() {
        String project = ReviewFixtures.project();
        as("eve", "engineer", project).contentType("application/json")
                .body("{\"against\": \"both\", \"stopWhenDecided\": true, \"maxVotes\": null}")
                .put("/api/projects/" + project + "/review-settings").then().statusCode(200);
        as("vic", "viewer", project).get("/api/projects/" + project + "/review-settings").then()
                .body("stopWhenDecided", equalTo(true)).body("against", equalTo("both"));
        as("vic", "viewer", project).contentType("application/json").body("{\"against\": \"base\"}")
                .put("/api/projects/" + project + "/review-settings").then().statusCode(403);
        as("eve", "engineer", project).contentType("application/json").body("{\"against\": \"sideways\"}")
                .put("/api/projects/" + project + "/review-settings").then().statusCode(422)
                .body("errors[0].field", equalTo("against"));
        String batchId = batch(project, UUID.randomUUID(), 400, "decide", 6, new JsonObject()).getString("id");
        for (String reviewer : List.of("r1", "r2", "r3", "r4")) {
            voteCandidate(reviewer, project, next(reviewer, project));
        }
        // 4 wins of 4: Wilson low = 4 / (4 + 1.96²) = 0.51 > 0.5
        as("eve", "engineer", project).get("/api/review-batches/" + batchId).then()
                .body("stopping.whenDecided", equalTo(true))
                .body("stopped.reason", equalTo("decided")).body("stopped.atVotes", equalTo(4));
        next("r5", project).then().statusCode(204);
    }

    @Test
    void shouldKeepQueueStatePerRun() {
        String project = ReviewFixtures.project();
        // two runs whose checkpoints reuse the same model name and answer the same texts
        JsonPath first = batch(project, UUID.randomUUID(), 400, "same", 3, new JsonObject());
        JsonPath second = batch(project, UUID.randomUUID(), 400, "same", 3, new JsonObject());
        assertEquals(3, first.getInt("items"));
        assertEquals(3, second.getInt("items"), "another run's batch never comes out empty");
    }

    private void stubProbeRunsOfRun(UUID run, String project, UUID suiteVersion, Map<Long, UUID> probeRuns,
                                    Map<Long, String> status) {
        JsonArray list = new JsonArray();
        probeRuns.forEach((step, id) -> list.add(new JsonObject().put("id", id.toString()).put("project", project)
                .put("runId", run.toString()).put("checkpointId", UUID.nameUUIDFromBytes(("c" + step).getBytes()).toString())
                .put("step", step).put("suiteVersionId", suiteVersion.toString()).put("status", status.get(step))
                .put("targets", new JsonArray()
                        .add(new JsonObject().put("endpoint", EP).put("model", "m-" + step))
                        .add(new JsonObject().put("endpoint", ReviewFixtures.BASELINE_ENDPOINT)
                                .put("model", ReviewFixtures.BASELINE_MODEL)))));
        wireMock.stubFor(get(urlPathEqualTo("/auth/probe-runner/api/probe-runs"))
                .withQueryParam("run", com.github.tomakehurst.wiremock.client.WireMock.equalTo(run.toString()))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(list.encode())));
    }

    private static JsonObject completed(String project, UUID probeRun, UUID run, long step, UUID suiteVersion) {
        return ReviewFixtures.probeRunCompleted(UUID.randomUUID(), project, probeRun, run)
                .put("step", step).put("suiteVersionId", suiteVersion.toString())
                .put("checkpointId", UUID.nameUUIDFromBytes(("c" + step).getBytes()).toString())
                .put("candidate", new JsonObject().put("endpoint", EP).put("model", "m-" + step));
    }

    @Test
    void shouldJudgeEachCheckpointAgainstThePreviousOneInEitherOrder() throws Exception {
        String project = ReviewFixtures.project();
        UUID run = UUID.randomUUID();
        UUID suiteVersion = UUID.randomUUID();
        Map<Long, UUID> probeRuns = Map.of(200L, UUID.randomUUID(), 400L, UUID.randomUUID(), 600L, UUID.randomUUID());
        probeRuns.forEach((step, id) -> ReviewFixtures.stubProbeRun(wireMock, project, id, run,
                UUID.nameUUIDFromBytes(("c" + step).getBytes()), step, comparison(project, "base-" + step, 2),
                "m-" + step, suiteVersion));
        ReviewFixtures.stubComparisonOfTargets(wireMock, suiteVersion, EP + "/m-400", EP + "/m-200",
                comparison(project, "prev-400", 2));
        ReviewFixtures.stubComparisonOfTargets(wireMock, suiteVersion, EP + "/m-600", EP + "/m-400",
                comparison(project, "prev-600", 2));
        try (Connection connection = ReviewFixtures.rabbit(); Channel channel = connection.createChannel()) {
            // 200 completes, then 600 while 400 is still running, then 400: each pair is built once both ends exist
            stubProbeRunsOfRun(run, project, suiteVersion, probeRuns, Map.of(200L, "completed", 400L, "running", 600L, "running"));
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed",
                    completed(project, probeRuns.get(200L), run, 200, suiteVersion));
            awaitBatches(project, 1);
            stubProbeRunsOfRun(run, project, suiteVersion, probeRuns, Map.of(200L, "completed", 400L, "running", 600L, "completed"));
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed",
                    completed(project, probeRuns.get(600L), run, 600, suiteVersion));
            awaitBatches(project, 2);
            stubProbeRunsOfRun(run, project, suiteVersion, probeRuns, Map.of(200L, "completed", 400L, "completed", 600L, "completed"));
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed",
                    completed(project, probeRuns.get(400L), run, 400, suiteVersion));
            awaitBatches(project, 5);
        }
        JsonPath verdicts = as("eve", "engineer", project).get("/api/verdicts?run=" + run).then().statusCode(200)
                .body("$", hasSize(5)).extract().jsonPath();
        assertEquals(List.of(200, 400, 400, 600, 600), verdicts.getList("step"));
        assertEquals(List.of("base", "base", "previous", "base", "previous"), verdicts.getList("against"));
        assertEquals(400, verdicts.getInt("[4].baselineStep"));
        assertEquals("m-400", verdicts.getString("[4].baseline.model"));
        assertEquals(probeRuns.get(400L).toString(), verdicts.getString("[4].baselineProbeRunId"));

        // the newest checkpoint first; the candidate always wins: 600 > 400 > 200 > base, all linked
        Response firstTask = next("rita", project);
        assertTrue(screenText(firstTask).contains("-600 "), "newest checkpoint first: " + screenText(firstTask));
        voteCandidate("rita", project, firstTask);
        for (int i = 1; i < 10; i++) {
            voteCandidate("rita", project, next("rita", project));
        }
        next("rita", project).then().statusCode(204);
        JsonPath strengths = as("eve", "engineer", project).get("/api/verdicts/bradley-terry?run=" + run)
                .then().statusCode(200).body("$", hasSize(4)).extract().jsonPath();
        assertEquals(List.of(true, true, true, true), strengths.getList("linked"));
        assertEquals(java.util.Arrays.asList(null, 200, 400, 600), strengths.getList("step"));
        List<Float> s = strengths.getList("strength", Float.class);
        assertTrue(s.get(0) < s.get(1) && s.get(1) < s.get(2) && s.get(2) < s.get(3), "600 > 400 > 200 > base: " + s);
    }

    private static void awaitBatches(String project, int n) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as("eve", "engineer", project).get("/api/review-batches?project=" + project)
                        .then().statusCode(200).body("$", hasSize(n)));
    }

    @Test
    void shouldKeepTagIdsWhenARubricIsRenamed() {
        String project = ReviewFixtures.project();
        JsonArray rubric = new JsonArray(as("vic", "viewer", project).get("/api/projects/" + project + "/rubric")
                .then().statusCode(200).extract().asString());
        assertEquals(5, rubric.size());
        assertEquals("stock-phrase", rubric.getJsonObject(1).getString("id"));
        assertEquals("套话", rubric.getJsonObject(1).getJsonObject("label").getString("zh"));

        JsonArray renamed = new JsonArray()
                .add(new JsonObject().put("id", "stock-phrase").put("label", new JsonObject().put("en", "boilerplate").put("zh", "套话")))
                .add(new JsonObject().put("label", new JsonObject().put("en", "Too long!")));
        as("vic", "viewer", project).contentType("application/json").body(renamed.encode())
                .put("/api/projects/" + project + "/rubric").then().statusCode(403);
        as("eve", "engineer", "other").contentType("application/json").body(renamed.encode())
                .put("/api/projects/" + project + "/rubric").then().statusCode(404);
        as("eve", "engineer", project).contentType("application/json")
                .body("[{\"id\": \"Bad Id\", \"label\": {\"en\": \"x\"}}, {\"label\": {}}]")
                .put("/api/projects/" + project + "/rubric").then().statusCode(422)
                .body("errors.field", equalTo(List.of("[0].id", "[1].label")));
        as("eve", "engineer", project).contentType("application/json").body(renamed.encode())
                .put("/api/projects/" + project + "/rubric").then().statusCode(200)
                .body("id", equalTo(List.of("stock-phrase", "too-long")));

        batch(project, UUID.randomUUID(), 400, "tags", 2, new JsonObject());
        Response task = next("rita", project);
        task.then().body("rubric.id", equalTo(List.of("stock-phrase", "too-long")));
        as("rita", "reviewer", project).contentType("application/json")
                .body("{\"choice\": \"TIE\", \"tags\": [\"more-cautious\"]}")
                .post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").then().statusCode(422)
                .body("errors[0].field", equalTo("tags[0]"));
        as("rita", "reviewer", project).contentType("application/json")
                .body("{\"choice\": \"TIE\", \"tags\": [\"stock-phrase\", \"too long!\", \"Too long!\"]}")
                .post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").then().statusCode(422);
        as("rita", "reviewer", project).contentType("application/json")
                .body("{\"choice\": \"TIE\", \"tags\": [\"stock-phrase\", \"Too long!\"]}")
                .post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").then().statusCode(200)
                .body("tags", equalTo(List.of("stock-phrase", "too-long")));

        // renamed again: the vote keeps its tag, the verdict shows the new label
        as("eve", "engineer", project).contentType("application/json")
                .body("[{\"id\": \"stock-phrase\", \"label\": {\"en\": \"canned reply\"}}]")
                .put("/api/projects/" + project + "/rubric").then().statusCode(200);
        as("vic", "viewer", project).get("/api/verdicts?project=" + project + "&candidate=" + EP + "/m-400&baseline=" + BASE)
                .then().statusCode(200)
                .body("tags.'stock-phrase'.ties", equalTo(1)).body("tags.'too-long'.ties", equalTo(1))
                .body("tagLabels.'stock-phrase'.en", equalTo("canned reply"))
                .body("tagLabels.'too-long'.en", equalTo("Too long!"))
                .body("probeTags.tone.ties", equalTo(1));
    }
}
