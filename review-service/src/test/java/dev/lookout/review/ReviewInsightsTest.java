package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.lookout.review.ReviewFixtures.as;
import static dev.lookout.review.ReviewFixtures.next;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agreement, Bradley–Terry, preference exports, closing batches and throttled verdict events, against the real DB. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewInsightsTest {

    @OidcWireMock
    WireMockServer wireMock;

    @Inject
    TestDb db;

    @BeforeEach
    void stubs() {
        ReviewFixtures.stubTokenEndpoint(wireMock);
    }

    /** A batch of n changed items for a checkpoint of the run; returns the batch id. */
    private String batch(String project, UUID run, long step, String candidateModel, int n, int reviewsPerItem) {
        UUID probeRun = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, run, UUID.randomUUID(), step,
                ReviewFixtures.comparison(project, n), candidateModel);
        return ReviewFixtures.createBatch(project, probeRun, reviewsPerItem).getString("id");
    }

    private io.restassured.response.ValidatableResponse vote(String reviewer, String project, String taskId, String choice) {
        return as(reviewer, "reviewer", project).contentType("application/json")
                .body(new JsonObject().put("choice", choice).encode())
                .post("/api/reviews/" + taskId + "/vote").then();
    }

    /** Votes on the caller's next task: "WIN"/"LOSS" are mapped to the screen side of the candidate ("cand …"). */
    private Response voteNext(String reviewer, String project, String outcome) {
        Response task = next(reviewer, project);
        task.then().statusCode(200);
        String candidateSide = task.jsonPath().getString("a.text").startsWith("cand") ? "A" : "B";
        String baselineSide = candidateSide.equals("A") ? "B" : "A";
        String choice = switch (outcome) {
            case "WIN" -> candidateSide;
            case "LOSS" -> baselineSide;
            default -> outcome;
        };
        vote(reviewer, project, task.jsonPath().getString("taskId"), choice).statusCode(200);
        return task;
    }

    @Test
    void shouldReportAgreementBetweenReviewers() {
        String project = ReviewFixtures.project();
        UUID run = UUID.randomUUID();
        batch(project, run, 400, ReviewFixtures.CANDIDATE_MODEL, 2, 2);
        // both reviewers get the items in position order: item 0 both WIN; item 1 rita WIN, rob LOSS
        String ritaFirst = voteNext("rita", project, "WIN").jsonPath().getString("messages[0].content");
        voteNext("rita", project, "WIN");
        String robFirst = voteNext("rob", project, "WIN").jsonPath().getString("messages[0].content");
        voteNext("rob", project, "LOSS");
        assertEquals(ritaFirst, robFirst);
        // hand-computed: P_1 = 1, P_2 = 0 → P̄ = 0.5; p_WIN = 3/4, p_LOSS = 1/4 → P_e = 0.625;
        // κ = (0.5 − 0.625)/(1 − 0.625) = −1/3. Majority only on item 1 (both WIN): each reviewer agrees 1/1.
        JsonPath verdict = as("vic", "viewer", project).get("/api/verdicts?run=" + run)
                .then().statusCode(200).body("$", hasSize(1))
                .body("[0].agreement.items", equalTo(2))
                .body("[0].agreement.reviewers", hasSize(2))
                .body("[0].agreement.reviewers[0].reviewer", equalTo("rita"))
                .body("[0].agreement.reviewers[0].items", equalTo(2))
                .body("[0].agreement.reviewers[1].reviewer", equalTo("rob"))
                .extract().jsonPath();
        assertEquals(-1.0 / 3, verdict.getDouble("[0].agreement.kappa"), 1e-6); // JsonPath reads floats
        assertEquals(1.0, verdict.getDouble("[0].agreement.reviewers[0].agreeWithMajority"), 1e-12);
        assertEquals(1.0, verdict.getDouble("[0].agreement.reviewers[1].agreeWithMajority"), 1e-12);
    }

    @Test
    void shouldRankTheCheckpointsOfARunWithBradleyTerry() {
        String project = ReviewFixtures.project();
        UUID run = UUID.randomUUID();
        String b200 = batch(project, run, 200, "ckpt-200", 2, 1);
        String b400 = batch(project, run, 400, "ckpt-400", 2, 1);
        Map<String, List<String>> outcomes = Map.of(b200, new ArrayList<>(List.of("WIN", "LOSS")),
                b400, new ArrayList<>(List.of("WIN", "WIN")));
        for (int i = 0; i < 4; i++) {
            Response task = next("rita", project);
            String batchId = db.batchOfTask(task.jsonPath().getString("taskId"));
            String outcome = outcomes.get(batchId).remove(0);
            String candidateSide = task.jsonPath().getString("a.text").startsWith("cand") ? "A" : "B";
            vote("rita", project, task.jsonPath().getString("taskId"),
                    outcome.equals("WIN") ? candidateSide : (candidateSide.equals("A") ? "B" : "A")).statusCode(200);
        }
        // star around the base: ckpt-200 1 win 1 loss (+ virtual tie) → ln(1.5/1.5) = 0; ckpt-400 2 wins → ln(2.5/0.5) = ln 5
        JsonPath bt = as("vic", "viewer", project).get("/api/verdicts/bradley-terry?run=" + run)
                .then().statusCode(200).body("$", hasSize(3))
                .body("[0].target.model", equalTo(ReviewFixtures.BASELINE_MODEL))
                .body("[0].votes", equalTo(4))
                .body("[1].target.model", equalTo("ckpt-200"))
                .body("[1].target.endpoint", equalTo(ReviewFixtures.CANDIDATE_ENDPOINT))
                .body("[1].votes", equalTo(2))
                .body("[2].target.model", equalTo("ckpt-400"))
                .extract().jsonPath();
        assertEquals(0.0, bt.getDouble("[0].strength"), 0.0);
        assertEquals(0.0, bt.getDouble("[1].strength"), 1e-6);
        assertEquals(Math.log(5), bt.getDouble("[2].strength"), 1e-6);
        assertTrue(bt.getDouble("[2].low") <= bt.getDouble("[2].strength")
                && bt.getDouble("[2].strength") <= bt.getDouble("[2].high"));
        as("otto", "viewer", "other").get("/api/verdicts/bradley-terry?run=" + run)
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldExportOnlyDecidedPairsInEveryFormat() {
        String project = ReviewFixtures.project();
        UUID run = UUID.randomUUID();
        batch(project, run, 400, ReviewFixtures.CANDIDATE_MODEL, 4, 1);
        Map<String, String> expectedChosen = new HashMap<>(); // prompt → chosen text
        String win = voteNext("rita", project, "WIN").jsonPath().getString("messages[0].content");
        expectedChosen.put(win, "cand " + win.substring("question ".length()));
        String loss = voteNext("rita", project, "LOSS").jsonPath().getString("messages[0].content");
        expectedChosen.put(loss, "base " + loss.substring("question ".length()));
        voteNext("rita", project, "TIE");
        voteNext("rita", project, "BOTH_BAD");

        Response sharegpt = as("eve", "engineer", project)
                .get("/api/exports/preferences?run=" + run + "&format=llamafactory-sharegpt");
        sharegpt.then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("application/json"))
                .header("Content-Disposition", org.hamcrest.Matchers.containsString(".json"));
        JsonArray rows = new JsonArray(sharegpt.asString());
        assertEquals(2, rows.size(), "ties and both-bad are left out: " + rows);
        for (Object o : rows) {
            JsonObject row = (JsonObject) o;
            assertEquals(Set.of("conversations", "chosen", "rejected", "metadata"), row.fieldNames());
            String prompt = row.getJsonArray("conversations").getJsonObject(0).getString("value");
            assertEquals("human", row.getJsonArray("conversations").getJsonObject(0).getString("from"));
            assertEquals(new JsonObject().put("from", "gpt").put("value", expectedChosen.get(prompt)), row.getJsonObject("chosen"));
            assertEquals("gpt", row.getJsonObject("rejected").getString("from"));
            JsonObject meta = row.getJsonObject("metadata");
            assertEquals(run.toString(), meta.getString("runId"));
            assertEquals(400L, meta.getLong("step"));
            assertEquals(1L, meta.getJsonObject("votes").getLong(meta.getString("chosen")));
            assertEquals(ReviewFixtures.CANDIDATE_MODEL, meta.getJsonObject("candidate").getString("model"));
        }
        JsonObject info = new JsonObject(sharegpt.getHeader("X-LlamaFactory-Dataset-Info"));
        JsonObject entry = info.getJsonObject(info.fieldNames().iterator().next());
        assertEquals("sharegpt", entry.getString("formatting"));
        assertEquals(true, entry.getBoolean("ranking"));
        assertEquals(new JsonObject().put("messages", "conversations").put("chosen", "chosen").put("rejected", "rejected"),
                entry.getJsonObject("columns"));

        JsonArray alpaca = new JsonArray(as("eve", "engineer", project)
                .get("/api/exports/preferences?run=" + run + "&format=llamafactory-alpaca").then().statusCode(200)
                .extract().asString());
        assertEquals(2, alpaca.size());
        JsonObject a0 = alpaca.getJsonObject(0);
        assertEquals(expectedChosen.get(a0.getString("instruction")), a0.getString("chosen"));
        assertEquals("", a0.getString("input"));

        List<JsonObject> trl = jsonLines(as("eve", "engineer", project)
                .get("/api/exports/preferences?run=" + run + "&format=trl").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("application/x-ndjson")).extract().asString());
        assertEquals(2, trl.size());
        for (JsonObject row : trl) {
            assertEquals(Set.of("prompt", "chosen", "rejected", "metadata"), row.fieldNames());
            String prompt = row.getJsonArray("prompt").getJsonObject(0).getString("content");
            assertEquals("user", row.getJsonArray("prompt").getJsonObject(0).getString("role"));
            assertEquals(new JsonArray().add(new JsonObject().put("role", "assistant").put("content", expectedChosen.get(prompt))),
                    row.getJsonArray("chosen"));
        }
        List<JsonObject> kto = jsonLines(as("ada", "admin")
                .get("/api/exports/preferences?run=" + run + "&format=kto").then().statusCode(200).extract().asString());
        assertEquals(4, kto.size(), "both sides of each decided pair");
        assertEquals(2, kto.stream().filter(r -> r.getBoolean("label")).count());
        for (JsonObject row : kto) {
            assertEquals(Set.of("prompt", "completion", "label", "metadata"), row.fieldNames());
            String prompt = row.getJsonArray("prompt").getJsonObject(0).getString("content");
            String completion = row.getJsonArray("completion").getJsonObject(0).getString("content");
            assertEquals(row.getBoolean("label"), completion.equals(expectedChosen.get(prompt)));
        }

        as("eve", "engineer", project).get("/api/exports/preferences?run=" + run + "&format=llamafactory-dataset-info")
                .then().statusCode(200)
                .body("lookout_" + run.toString().substring(0, 8) + "_alpaca.columns.prompt", equalTo("instruction"))
                .body("lookout_" + run.toString().substring(0, 8) + "_sharegpt.formatting", equalTo("sharegpt"));
        as("eve", "engineer", project).get("/api/exports/preferences?run=" + run + "&format=csv")
                .then().statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("format"));
        as("otto", "engineer", "other").get("/api/exports/preferences?run=" + run + "&format=trl")
                .then().statusCode(404).contentType("application/problem+json");
        as("eve", "engineer", project).get("/api/exports/preferences?run=" + UUID.randomUUID() + "&format=trl")
                .then().statusCode(404);
        as("vic", "viewer", project).get("/api/exports/preferences?run=" + run + "&format=trl").then().statusCode(403);
        as("rita", "reviewer", project).get("/api/exports/preferences?run=" + run + "&format=trl").then().statusCode(403);
    }

    private static List<JsonObject> jsonLines(String body) {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                rows.add(new JsonObject(line));
            }
        }
        return rows;
    }

    @Test
    void shouldRefuseVotesOnceTheBatchIsClosed() {
        String project = ReviewFixtures.project();
        String batchId = batch(project, UUID.randomUUID(), 400, ReviewFixtures.CANDIDATE_MODEL, 3, 1);
        String taskId = next("rita", project).jsonPath().getString("taskId");
        vote("rita", project, taskId, "A").statusCode(200);

        as("rita", "reviewer", project).post("/api/review-batches/" + batchId + "/close").then().statusCode(403);
        as("otto", "engineer", "other").post("/api/review-batches/" + batchId + "/close").then().statusCode(404);
        as("eve", "engineer", project).post("/api/review-batches/" + batchId + "/close").then().statusCode(200)
                .body("status", equalTo("closed")).body("closedAt", notNullValue());
        as("eve", "engineer", project).post("/api/review-batches/" + batchId + "/close").then().statusCode(200)
                .body("status", equalTo("closed"));

        vote("rita", project, taskId, "B").statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409)).body("detail", org.hamcrest.Matchers.containsString("closed"));
        next("rita", project).then().statusCode(204);
        next("rob", project).then().statusCode(204);
        as("vic", "viewer", project).get("/api/review-batches/" + batchId).then().statusCode(200)
                .body("status", equalTo("closed"));
        // the earlier vote still counts
        as("vic", "viewer", project).get("/api/verdicts?project=" + project + "&candidate="
                        + ReviewFixtures.CANDIDATE_ENDPOINT + "/" + ReviewFixtures.CANDIDATE_MODEL + "&baseline="
                        + ReviewFixtures.BASELINE_ENDPOINT + "/" + ReviewFixtures.BASELINE_MODEL)
                .then().statusCode(200).body("votes", equalTo(1)).body("agreement.items", equalTo(0))
                .body("agreement.kappa", nullValue());
    }

    @Test
    void shouldThrottleVerdictEventsAndAlwaysSendTheLastState() throws Exception {
        String project = ReviewFixtures.project();
        String batchId = batch(project, UUID.randomUUID(), 400, ReviewFixtures.CANDIDATE_MODEL, 6, 1);
        try (Connection connection = ReviewFixtures.rabbit(); Channel channel = connection.createChannel()) {
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, ReviewFixtures.REVIEW_EVENTS, "verdict.updated");
            for (int i = 0; i < 6; i++) {
                voteNext("rita", project, i % 3 == 0 ? "LOSS" : "WIN");
            }
            List<JsonObject> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                GetResponse message;
                while ((message = channel.basicGet(queue, true)) != null) {
                    JsonObject event = new JsonObject(new String(message.getBody(), StandardCharsets.UTF_8));
                    if (batchId.equals(event.getString("batchId"))) {
                        events.add(event);
                    }
                }
                return !events.isEmpty() && events.get(events.size() - 1).getLong("votes") == 6;
            });
            JsonObject last = events.get(events.size() - 1);
            assertEquals(4L, last.getLong("wins"));
            assertEquals(2L, last.getLong("losses"));
            assertTrue(events.size() < 6, "throttled: " + events.size() + " events for 6 votes");
            TreeSet<Instant> times = new TreeSet<>();
            events.forEach(e -> times.add(Instant.parse(e.getString("occurredAt"))));
            Instant previous = null;
            for (Instant at : times) {
                if (previous != null) {
                    assertTrue(Duration.between(previous, at).toMillis() >= 1_900,
                            "two events for one batch within the throttle window: " + times);
                }
                previous = at;
            }
            assertFalse(events.stream().anyMatch(e -> e.getLong("votes") > 6));
            assertNotNull(last.getString("eventId"));
        }
    }
}
