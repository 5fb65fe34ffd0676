package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.lookout.contracts.EventContracts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static dev.lookout.review.ReviewFixtures.as;
import static dev.lookout.review.ReviewFixtures.next;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewFlowTest {

    @OidcWireMock
    WireMockServer wireMock;

    @Inject
    TestDb db;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void stubs() {
        ReviewFixtures.stubTokenEndpoint(wireMock);
    }

    /** Builds a batch of n changed items through POST /api/review-batches; returns the run id. */
    private UUID batch(String project, int n, int reviewsPerItem) {
        UUID probeRun = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, run, UUID.randomUUID(), 400,
                ReviewFixtures.comparison(project, n));
        assertEquals(n, ReviewFixtures.createBatch(project, probeRun, reviewsPerItem).getInt("items"));
        return run;
    }

    private static String prompt(Response task) {
        return task.jsonPath().getString("messages[0].content");
    }

    private void vote(String reviewer, String project, String taskId, String choice, String... tags) {
        as(reviewer, "reviewer", project).contentType("application/json")
                .body(new JsonObject().put("choice", choice).put("tags", new JsonArray(List.of((Object[]) tags))).encode())
                .post("/api/reviews/" + taskId + "/vote").then().statusCode(200);
    }

    @Test
    void shouldHandOutBlindTasksAndNeverTheSameItemTwice() {
        String project = ReviewFixtures.project();
        batch(project, 3, 1);
        Response first = next("rita", project);
        first.then().statusCode(200)
                .body("a.text", org.hamcrest.Matchers.notNullValue())
                .body("b.text", org.hamcrest.Matchers.notNullValue())
                .body("rubric.id", hasItem("stock-phrase"))
                .body("rubric.find { it.id == 'stock-phrase' }.label.zh", equalTo("套话"))
                .body("progress.total", equalTo(3))
                .body("progress.reviewed", equalTo(0));
        // rubric tags carry their own {en, zh} "label": checked apart, they name behaviours, never targets
        String body = new io.vertx.core.json.JsonObject(first.asString()).copy().put("rubric", "").encode();
        for (String secret : List.of(ReviewFixtures.CANDIDATE_ENDPOINT, ReviewFixtures.CANDIDATE_MODEL,
                ReviewFixtures.BASELINE_ENDPOINT, ReviewFixtures.BASELINE_MODEL, "label", "candidate", "baseline",
                "side", "probeId", "similarity")) {
            assertFalse(body.contains(secret), "task payload reveals '" + secret + "': " + body);
        }
        // an open lease is handed out again, not a second item
        String taskId = first.jsonPath().getString("taskId");
        assertEquals(taskId, next("rita", project).jsonPath().getString("taskId"));

        Set<String> seen = new HashSet<>();
        seen.add(prompt(first));
        vote("rita", project, taskId, "A");
        for (int i = 0; i < 2; i++) {
            Response task = next("rita", project);
            task.then().statusCode(200).body("progress.reviewed", equalTo(i + 1));
            assertTrue(seen.add(prompt(task)), "same item twice: " + prompt(task));
            vote("rita", project, task.jsonPath().getString("taskId"), "B");
        }
        next("rita", project).then().statusCode(204);
    }

    @Test
    void shouldReturnAnExpiredLeaseToTheQueue() {
        String project = ReviewFixtures.project();
        batch(project, 1, 1);
        Response rita = next("rita", project);
        rita.then().statusCode(200);
        next("rob", project).then().statusCode(204); // the only item is leased to rita

        assertEquals(1, db.expireLeases("rita", project));
        Response rob = next("rob", project);
        rob.then().statusCode(200);
        assertEquals(prompt(rita), prompt(rob));
        next("rita", project).then().statusCode(204); // rita was given it once already
    }

    @Test
    void shouldHonourKReviewersPerItem() {
        String project = ReviewFixtures.project();
        batch(project, 1, 2);
        Response rita = next("rita", project);
        Response rob = next("rob", project);
        rita.then().statusCode(200);
        rob.then().statusCode(200);
        assertEquals(prompt(rita), prompt(rob));
        assertNotEquals(rita.jsonPath().getString("taskId"), rob.jsonPath().getString("taskId"));
        next("ray", project).then().statusCode(204);
        vote("rita", project, rita.jsonPath().getString("taskId"), "TIE");
        next("rita", project).then().statusCode(204);
        next("ray", project).then().statusCode(204); // rita voted, rob holds the second slot
    }

    @Test
    void shouldNeverDoubleAssignUnderTwentyConcurrentReviewers() throws Exception {
        String project = ReviewFixtures.project();
        int items = 12;
        batch(project, items, 1);
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int r = 0; r < 20; r++) {
                String token = ReviewFixtures.token("crowd-" + r, List.of("reviewer"), project);
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create(base + "api/reviews/next?project=" + project))
                                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            List<String> prompts = new ArrayList<>();
            int empty = 0;
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get();
                if (response.statusCode() == 204) {
                    empty++;
                } else {
                    assertEquals(200, response.statusCode(), response.body());
                    prompts.add(JsonPath.from(response.body()).getString("messages[0].content"));
                }
            }
            assertEquals(items, prompts.size(), "every item handed out once: " + prompts);
            assertEquals(items, new HashSet<>(prompts).size(), "an item was handed out twice: " + prompts);
            assertEquals(20 - items, empty);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCountVotesForTheCandidateAndPublishVerdicts() throws Exception {
        String project = ReviewFixtures.project();
        try (Connection connection = ReviewFixtures.rabbit(); Channel channel = connection.createChannel()) {
            // bound before the batch opens: review-batch.opened and verdict.updated are both checked below
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, ReviewFixtures.REVIEW_EVENTS, "#");
            UUID run = batch(project, 4, 1);

            // rita: candidate wins twice (once tagged), one tie, one both-bad; then changes the tie into a loss
            List<String> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Response task = next("rita", project);
                String candidateSide = task.jsonPath().getString("a.text").startsWith("cand") ? "A" : "B";
                String baselineSide = candidateSide.equals("A") ? "B" : "A";
                String taskId = task.jsonPath().getString("taskId");
                tasks.add(taskId);
                switch (i) {
                    case 0 -> vote("rita", project, taskId, candidateSide, "套话 / stock phrase");
                    case 1 -> vote("rita", project, taskId, candidateSide);
                    case 2 -> {
                        vote("rita", project, taskId, "TIE");
                        vote("rita", project, taskId, baselineSide, "事实错误 / wrong fact");
                    }
                    default -> vote("rita", project, taskId, "BOTH_BAD");
                }
            }
            assertEquals(5, db.votesOf("rita", project), "every vote is kept");

            String candidate = ReviewFixtures.CANDIDATE_ENDPOINT + "/" + ReviewFixtures.CANDIDATE_MODEL;
            String baseline = ReviewFixtures.BASELINE_ENDPOINT + "/" + ReviewFixtures.BASELINE_MODEL;
            JsonPath verdict = as("vic", "viewer", project)
                    .get("/api/verdicts?project=" + project + "&candidate=" + candidate + "&baseline=" + baseline)
                    .then().statusCode(200)
                    .body("wins", equalTo(2)).body("ties", equalTo(0)).body("losses", equalTo(1))
                    .body("bothBad", equalTo(1)).body("votes", equalTo(4))
                    .body("decided", equalTo(false))
                    .body("candidate.model", equalTo(ReviewFixtures.CANDIDATE_MODEL))
                    .body("tags.'stock-phrase'.wins", equalTo(1))
                    .body("tagLabels.'stock-phrase'.en", equalTo("stock phrase"))
                    .body("tags.'wrong-fact'.losses", equalTo(1))
                    .extract().jsonPath();
            // hand-computed: 2 wins, 1 loss → 2/3, Wilson 95 % [0.2077, 0.9385]
            assertEquals(2.0 / 3, verdict.getDouble("winRate"), 1e-6);
            assertEquals(0.2077, verdict.getDouble("low"), 1e-4);
            assertEquals(0.9385, verdict.getDouble("high"), 1e-4);
            as("vic", "viewer", project).get("/api/verdicts?run=" + run)
                    .then().statusCode(200).body("$", hasSize(1))
                    .body("[0].wins", equalTo(2)).body("[0].runId", equalTo(run.toString()));
            as("otto", "viewer", "other").get("/api/verdicts?run=" + run).then().statusCode(200).body("$", hasSize(0));

            AtomicReference<JsonObject> last = new AtomicReference<>();
            Set<String> published = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                GetResponse message;
                while ((message = channel.basicGet(queue, true)) != null) {
                    JsonObject event = new JsonObject(new String(message.getBody(), StandardCharsets.UTF_8));
                    if (project.equals(event.getString("project"))) {
                        EventContracts.assertValid(event.encode()); // producer side of the contract
                        published.add(event.getString("type"));
                        if ("verdict.updated".equals(event.getString("type"))) {
                            last.set(event);
                        }
                        assertEquals("application/json", message.getProps().getContentType());
                        assertEquals(event.getString("eventId"), message.getProps().getMessageId());
                    }
                }
                return last.get() != null && last.get().getLong("bothBad") == 1;
            });
            assertEquals(Set.copyOf(EventContracts.typesOn("review.events")), published,
                    "every event type review-service publishes was checked against its schema");
            JsonObject event = last.get();
            assertEquals("verdict.updated", event.getString("type"));
            assertEquals(1, event.getInteger("version"));
            assertEquals(2L, event.getLong("wins"));
            assertEquals(1L, event.getLong("losses"));
            assertEquals(run.toString(), event.getString("runId"));
            assertEquals(ReviewFixtures.CANDIDATE_ENDPOINT, event.getJsonObject("candidate").getString("endpoint"));
        }
    }

    @Test
    void shouldValidateVotesAndHideOtherProjects() {
        String project = ReviewFixtures.project();
        batch(project, 2, 1);
        String taskId = next("rita", project).jsonPath().getString("taskId");
        as("rita", "reviewer", project).contentType("application/json")
                .body("{\"choice\": \"A\", \"tags\": [\"套话 / stock phrase\", \"not a tag\"]}")
                .post("/api/reviews/" + taskId + "/vote").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("tags[1]"));
        as("rita", "reviewer", project).contentType("application/json")
                .body("{\"choice\": \"MAYBE\"}")
                .post("/api/reviews/" + taskId + "/vote").then().statusCode(400)
                .body("errors[0].field", equalTo("choice"));
        assertEquals(0, db.votesOf("rita", project), "bad input stores nothing");

        // another project's reviewer: nothing to see, the task does not exist for them
        as("otto", "reviewer", "other").post("/api/reviews/next?project=" + project).then().statusCode(404);
        as("otto", "reviewer", project).contentType("application/json").body("{\"choice\": \"A\"}")
                .post("/api/reviews/" + taskId + "/vote").then().statusCode(404);
        as("otto", "viewer", "other").get("/api/review-batches?project=" + project).then().statusCode(200).body("$", hasSize(0));
        as("otto", "viewer", "other").get("/api/review-batches").then().statusCode(200)
                .body("project", org.hamcrest.Matchers.not(hasItem(project)));
        as("otto", "viewer", "other").get("/api/verdicts?project=" + project + "&candidate=a/b&baseline=c/d")
                .then().statusCode(404);
        // someone else's task in the same project is not theirs either
        as("rob", "reviewer", project).contentType("application/json").body("{\"choice\": \"A\"}")
                .post("/api/reviews/" + taskId + "/vote").then().statusCode(404);
        // viewers cannot take tasks
        as("vic", "viewer", project).post("/api/reviews/next?project=" + project).then().statusCode(403);
        // admin sees every project
        as("ada", "admin").post("/api/reviews/next?project=" + project).then().statusCode(200);
        as("ada", "admin").get("/api/review-batches?project=" + project).then().statusCode(200).body("$", hasSize(1));
    }
}
