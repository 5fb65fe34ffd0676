package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.lookout.review.ReviewFixtures.as;
import static dev.lookout.review.ReviewFixtures.next;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** DELETE /api/reviews/{task}/vote: undo for the review workbench, against the real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WithdrawVoteTest {

    private static final String STOCK = "套话 / stock phrase";

    @OidcWireMock
    WireMockServer wireMock;

    @Inject
    TestDb db;

    @BeforeEach
    void stubs() {
        ReviewFixtures.stubTokenEndpoint(wireMock);
    }

    private ValidatableResponse vote(String reviewer, String project, String taskId, String choice, String comment,
                                     String... tags) {
        return as(reviewer, "reviewer", project).contentType("application/json")
                .body(new JsonObject().put("choice", choice).put("comment", comment)
                        .put("tags", new JsonArray(List.of((Object[]) tags))).encode())
                .post("/api/reviews/" + taskId + "/vote").then();
    }

    private ValidatableResponse withdraw(String reviewer, String project, String taskId) {
        return as(reviewer, "reviewer", project).delete("/api/reviews/" + taskId + "/vote").then();
    }

    private ValidatableResponse verdict(String project) {
        return as("vic", "viewer", project).get("/api/verdicts?project=" + project + "&candidate="
                        + ReviewFixtures.CANDIDATE_ENDPOINT + "/" + ReviewFixtures.CANDIDATE_MODEL + "&baseline="
                        + ReviewFixtures.BASELINE_ENDPOINT + "/" + ReviewFixtures.BASELINE_MODEL)
                .then().statusCode(200);
    }

    @Test
    void shouldWithdrawTheVoteKeepItInHistoryAndLeaseTheTaskAgain() {
        String project = ReviewFixtures.project();
        ReviewFixtures.changedBatch(wireMock, project, 2, 1);
        Response task = next("rita", project);
        String taskId = task.jsonPath().getString("taskId");
        String a = task.jsonPath().getString("a.text");
        String candidateSide = a.startsWith("cand") ? "A" : "B";
        vote("rita", project, taskId, candidateSide, "clearer", STOCK).statusCode(200);
        verdict(project).body("votes", equalTo(1)).body("wins", equalTo(1));
        next("rita", project).then().statusCode(200).body("progress.reviewed", equalTo(1));

        // undo: the same task back, with the withdrawn vote; progress goes back down
        withdraw("rita", project, taskId).statusCode(200)
                .contentType("application/json")
                .body("taskId", equalTo(taskId))
                .body("a.text", equalTo(a))
                .body("progress.reviewed", equalTo(0))
                .body("progress.total", equalTo(2))
                .body("previousVote.choice", equalTo(candidateSide))
                .body("previousVote.tags", equalTo(List.of("stock-phrase")))
                .body("previousVote.comment", equalTo("clearer"))
                .body("leasedUntil", org.hamcrest.Matchers.notNullValue())
                .body(org.hamcrest.Matchers.not(containsString(ReviewFixtures.CANDIDATE_MODEL)));
        verdict(project).body("votes", equalTo(0)).body("wins", equalTo(0)).body("winRate", org.hamcrest.Matchers.nullValue());
        assertEquals(1, db.votesOf("rita", project), "the withdrawn vote stays in the history");
        assertEquals(1, db.withdrawnVotesOf("rita", project));
        // nothing left to withdraw now
        withdraw("rita", project, taskId).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("no vote"));

        // /next hands out the re-leased task first (the oldest open lease), still showing the withdrawn vote
        next("rita", project).then().statusCode(200).body("taskId", equalTo(taskId))
                .body("previousVote.choice", equalTo(candidateSide));

        // a new vote counts; the withdrawn one never comes back
        String baselineSide = candidateSide.equals("A") ? "B" : "A";
        vote("rita", project, taskId, baselineSide, null).statusCode(200);
        verdict(project).body("votes", equalTo(1)).body("losses", equalTo(1)).body("wins", equalTo(0));
        assertEquals(2, db.votesOf("rita", project));
        // and the withdrawn vote is no longer shown once a new one exists
        next("rita", project).then().statusCode(200).body("taskId", org.hamcrest.Matchers.not(equalTo(taskId)))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("previousVote")))
                .body("progress.reviewed", equalTo(1));
    }

    @Test
    void shouldLeaveWithdrawnVotesOutOfExportsAndAgreement() {
        String project = ReviewFixtures.project();
        String batchId = ReviewFixtures.changedBatch(wireMock, project, 1, 2);
        Response rita = next("rita", project);
        Response rob = next("rob", project);
        String side = rita.jsonPath().getString("a.text").startsWith("cand") ? "A" : "B";
        vote("rita", project, rita.jsonPath().getString("taskId"), side, null).statusCode(200);
        vote("rob", project, rob.jsonPath().getString("taskId"), side, null).statusCode(200);
        verdict(project).body("agreement.items", equalTo(1)).body("votes", equalTo(2));
        withdraw("rob", project, rob.jsonPath().getString("taskId")).statusCode(200);
        verdict(project).body("agreement.items", equalTo(0)).body("votes", equalTo(1));
        // the run's export counts only rita's vote: 1 of 1 is still a majority, so the pair stays, with one vote
        String run = as("vic", "viewer", project).get("/api/review-batches/" + batchId).then().extract().path("runId");
        as("eve", "engineer", project).get("/api/exports/preferences?run=" + run + "&format=trl")
                .then().statusCode(200)
                .body(containsString("\"candidate\":1")).body(org.hamcrest.Matchers.not(containsString("\"candidate\":2")));
    }

    @Test
    void shouldAnswer404ForOtherTasksAnd409ForClosedBatchesOrNoVote() {
        String project = ReviewFixtures.project();
        String batchId = ReviewFixtures.changedBatch(wireMock, project, 2, 1);
        String taskId = next("rita", project).jsonPath().getString("taskId");
        // leased but not voted yet
        withdraw("rita", project, taskId).statusCode(409).body("detail", containsString("no vote"));
        vote("rita", project, taskId, "A", null).statusCode(200);
        withdraw("rob", project, taskId).statusCode(404).contentType("application/problem+json");
        as("otto", "reviewer", "other").delete("/api/reviews/" + taskId + "/vote").then().statusCode(404);
        withdraw("rita", project, UUID.randomUUID().toString()).statusCode(404);
        as("vic", "viewer", project).delete("/api/reviews/" + taskId + "/vote").then().statusCode(403);
        as("eve", "engineer", project).post("/api/review-batches/" + batchId + "/close").then().statusCode(200);
        withdraw("rita", project, taskId).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("closed"));
        verdict(project).body("votes", equalTo(1));
        assertEquals(0, db.withdrawnVotesOf("rita", project));
        as("vic", "viewer", project).get("/api/review-batches?project=" + project).then().body("$", hasSize(1));
    }
}
