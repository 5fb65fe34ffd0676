package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.lookout.review.ReviewFixtures.as;
import static dev.lookout.review.ReviewFixtures.next;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Votes racing lease hand-overs and a batch close, against the real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class VoteRaceTest {

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

    private io.restassured.response.ValidatableResponse vote(String reviewer, String project, String taskId,
                                                              String choice) {
        return as(reviewer, "reviewer", project).contentType("application/json")
                .body(new JsonObject().put("choice", choice).encode())
                .post("/api/reviews/" + taskId + "/vote").then();
    }

    private io.restassured.response.ValidatableResponse verdict(String project) {
        return as("vic", "viewer", project).get("/api/verdicts?project=" + project + "&candidate="
                        + ReviewFixtures.CANDIDATE_ENDPOINT + "/" + ReviewFixtures.CANDIDATE_MODEL + "&baseline="
                        + ReviewFixtures.BASELINE_ENDPOINT + "/" + ReviewFixtures.BASELINE_MODEL)
                .then().statusCode(200);
    }

    @Test
    void shouldRefuseALateVoteWhenTheSlotWentToSomeoneElse() {
        String project = ReviewFixtures.project();
        ReviewFixtures.changedBatch(wireMock, project, 1, 1);
        String ritaTask = next("rita", project).jsonPath().getString("taskId");
        assertEquals(1, db.expireLeases("rita", project));
        String robTask = next("rob", project).jsonPath().getString("taskId"); // the slot went to rob
        // rita's late vote while rob still holds the lease: the item's one slot is taken
        vote("rita", project, ritaTask, "A").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("lease expired and the item was reviewed by others"));
        vote("rob", project, robTask, "B").statusCode(200);
        // and after rob voted
        vote("rita", project, ritaTask, "A").statusCode(409);
        verdict(project).body("votes", equalTo(1));
        assertEquals(0, db.votesOf("rita", project), "a refused vote stores nothing");
    }

    @Test
    void shouldCountALateVoteWhileTheSlotIsStillFree() {
        String project = ReviewFixtures.project();
        ReviewFixtures.changedBatch(wireMock, project, 1, 2);
        String ritaTask = next("rita", project).jsonPath().getString("taskId");
        assertEquals(1, db.expireLeases("rita", project));
        String robTask = next("rob", project).jsonPath().getString("taskId");
        // k = 2: rob holds one slot, the other is free, so rita's late vote still counts
        vote("rita", project, ritaTask, "A").statusCode(200);
        vote("rob", project, robTask, "A").statusCode(200);
        next("ray", project).then().statusCode(204);
        verdict(project).body("votes", equalTo(2));
        // a reviewer who already counts may change their vote, lease or not
        assertEquals(0, db.expireLeases("rita", project));
        vote("rita", project, ritaTask, "B").statusCode(200);
        verdict(project).body("votes", equalTo(2));
    }

    @Test
    void shouldNeverCountMoreThanKWhenLateVotesRaceTheNewReviewers() throws Exception {
        String project = ReviewFixtures.project();
        int items = 10;
        ReviewFixtures.changedBatch(wireMock, project, items, 1);
        List<String> late = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            late.add(next("late-" + i, project).jsonPath().getString("taskId"));
            assertEquals(1, db.expireLeases("late-" + i, project));
        }
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(2 * items);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                String lateToken = ReviewFixtures.token("late-" + i, List.of("reviewer"), project);
                String taskId = late.get(i);
                calls.add(CompletableFuture.supplyAsync(() -> send(http, start, voteRequest(lateToken, taskId)), pool));
                String freshToken = ReviewFixtures.token("fresh-" + i, List.of("reviewer"), project);
                calls.add(CompletableFuture.supplyAsync(() -> {
                    HttpResponse<String> task = exchange(http, start, HttpRequest.newBuilder(
                            URI.create(base + "api/reviews/next?project=" + project))
                            .header("Authorization", "Bearer " + freshToken).POST(HttpRequest.BodyPublishers.noBody()).build());
                    if (task.statusCode() != 200) {
                        return task.statusCode();
                    }
                    return send(http, null, voteRequest(freshToken, new JsonObject(task.body()).getString("taskId")));
                }, pool));
            }
            start.countDown();
            for (CompletableFuture<Integer> call : calls) {
                int status = call.get(60, TimeUnit.SECONDS);
                assertTrue(status == 200 || status == 204 || status == 409, "unexpected status " + status);
            }
        } finally {
            pool.shutdownNow();
        }
        // every item counted exactly once: never k + 1
        verdict(project).body("votes", equalTo(items));
    }

    @Test
    void shouldAcceptNoVoteAfterCloseAndCountEveryAcceptedOne() throws Exception {
        String project = ReviewFixtures.project();
        int reviewers = 30;
        String batchId = ReviewFixtures.changedBatch(wireMock, project, reviewers, 1);
        List<String> tokens = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < reviewers; i++) {
            tokens.add(ReviewFixtures.token("racer-" + i, List.of("reviewer"), project));
            tasks.add(next("racer-" + i, project).jsonPath().getString("taskId"));
        }
        String engineer = ReviewFixtures.token("eve", List.of("engineer"), project);
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(reviewers + 1);
        int accepted = 0;
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> votes = new ArrayList<>();
            CompletableFuture<Integer> close = null;
            for (int i = 0; i < reviewers; i++) {
                String token = tokens.get(i);
                String taskId = tasks.get(i);
                votes.add(CompletableFuture.supplyAsync(() -> send(http, start, voteRequest(token, taskId)), pool));
                if (i == reviewers / 2) {
                    close = CompletableFuture.supplyAsync(() -> send(http, start, HttpRequest.newBuilder(
                                    URI.create(base + "api/review-batches/" + batchId + "/close"))
                            .header("Authorization", "Bearer " + engineer)
                            .POST(HttpRequest.BodyPublishers.noBody()).build()), pool);
                }
            }
            start.countDown();
            assertEquals(200, close.get(60, TimeUnit.SECONDS));
            for (CompletableFuture<Integer> vote : votes) {
                int status = vote.get(60, TimeUnit.SECONDS);
                assertTrue(status == 200 || status == 409, "a racing vote answered " + status);
                if (status == 200) {
                    accepted++;
                }
            }
            // after the close answered, no vote gets in
            for (int i = 0; i < reviewers; i++) {
                assertEquals(409, send(http, null, voteRequest(tokens.get(i), tasks.get(i))));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(accepted, db.votesInBatch(UUID.fromString(batchId)), "every accepted vote is stored");
        assertEquals(0, db.votesAfterClose(UUID.fromString(batchId)), "no vote stored after the close");
        verdict(project).body("votes", equalTo(accepted));
    }

    private HttpRequest voteRequest(String token, String taskId) {
        return HttpRequest.newBuilder(URI.create(base + "api/reviews/" + taskId + "/vote"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"choice\":\"A\"}")).build();
    }

    private static int send(HttpClient http, CountDownLatch start, HttpRequest request) {
        return exchange(http, start, request).statusCode();
    }

    private static HttpResponse<String> exchange(HttpClient http, CountDownLatch start, HttpRequest request) {
        try {
            if (start != null) {
                assertTrue(start.await(30, TimeUnit.SECONDS));
            }
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
