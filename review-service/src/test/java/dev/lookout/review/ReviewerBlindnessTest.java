package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.lookout.review.ReviewFixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Reviewers stay blind: a task carries nothing that leads to its targets, a reviewer-only caller reads neither an open
 * batch nor its verdict (closed ones yes), {@code /open-coverage} tells the gateway which probe runs and pairs an open
 * batch covers, and leasing is a POST (GET answers 405 and leases nothing).
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewerBlindnessTest {

    private static final String CANDIDATE = ReviewFixtures.CANDIDATE_ENDPOINT + "/" + ReviewFixtures.CANDIDATE_MODEL;
    private static final String BASELINE = ReviewFixtures.BASELINE_ENDPOINT + "/" + ReviewFixtures.BASELINE_MODEL;

    @OidcWireMock
    WireMockServer wireMock;

    @Inject
    TestDb db;

    @BeforeEach
    void stubs() {
        ReviewFixtures.stubTokenEndpoint(wireMock);
    }

    private record Built(String project, UUID probeRun, UUID run, UUID suiteVersion, String batch) {
    }

    private Built build() {
        String project = ReviewFixtures.project();
        UUID probeRun = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        UUID suiteVersion = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, run, UUID.randomUUID(), 400,
                ReviewFixtures.comparison(project, 3), ReviewFixtures.CANDIDATE_MODEL, suiteVersion);
        String batch = ReviewFixtures.createBatch(project, probeRun, 1).getString("id");
        return new Built(project, probeRun, run, suiteVersion, batch);
    }

    @Test
    void shouldHandOutTasksWithAnOpaqueIdAndNothingThatLeadsToTheTargets() {
        Built b = build();
        Response task = as("rita", "reviewer", b.project()).post("/api/reviews/next?project=" + b.project());
        task.then().statusCode(200);
        Map<String, Object> body = task.jsonPath().getMap("$");
        assertEquals(Set.of("taskId", "messages", "a", "b", "rubric", "progress", "leasedUntil"), body.keySet());
        String json = task.asString();
        for (String secret : List.of(b.batch(), b.probeRun().toString(), b.run().toString(), b.suiteVersion().toString(),
                ReviewFixtures.CANDIDATE_ENDPOINT, ReviewFixtures.CANDIDATE_MODEL, ReviewFixtures.BASELINE_MODEL)) {
            assertFalse(json.contains(secret), "the task names " + secret + ": " + json);
        }
    }

    @Test
    void shouldAnswer405ToAGetOnNextAndLeaseNothing() {
        Built b = build();
        as("rita", "reviewer", b.project()).get("/api/reviews/next?project=" + b.project())
                .then().statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", "POST")
                .body("status", equalTo(405))
                .body("detail", containsString("POST /api/reviews/next"));
        as("vic", "viewer", b.project()).get("/api/reviews/next?project=" + b.project()).then().statusCode(405);
        given().get("/api/reviews/next?project=" + b.project()).then().statusCode(401);
        assertEquals(0, db.expireLeases("rita", b.project()), "a GET leased a task");
        as("rita", "reviewer", b.project()).post("/api/reviews/next?project=" + b.project()).then().statusCode(200);
        assertEquals(1, db.expireLeases("rita", b.project()), "the POST leased one task");
    }

    @Test
    void shouldHideAnOpenBatchAndItsVerdictFromReviewerOnlyCallersUntilItCloses() {
        Built b = build();
        String project = b.project();
        for (RequestSpecification blind : List.of(as("rita", "reviewer", project),
                given().auth().oauth2(ReviewFixtures.token("rob", List.of("viewer", "reviewer"), project)))) {
            blind.get("/api/review-batches/" + b.batch()).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("detail", not(containsString(ReviewFixtures.CANDIDATE_MODEL)));
        }
        as("rita", "reviewer", project).get("/api/review-batches?project=" + project).then().statusCode(200)
                .body("$", hasSize(0));
        as("rita", "reviewer", project).get("/api/verdicts?run=" + b.run()).then().statusCode(200).body("$", hasSize(0));
        as("rita", "reviewer", project).get("/api/verdicts/bradley-terry?run=" + b.run()).then().statusCode(200)
                .body("$", hasSize(0));
        as("rita", "reviewer", project).get("/api/verdicts?project=" + project + "&candidate=" + CANDIDATE
                + "&baseline=" + BASELINE).then().statusCode(404);
        // everybody else reads it: viewer, engineer, engineer + reviewer, admin
        for (RequestSpecification sees : List.of(as("vic", "viewer", project), as("eve", "engineer", project),
                given().auth().oauth2(ReviewFixtures.token("otto", List.of("engineer", "reviewer"), project)),
                as("ada", "admin"))) {
            sees.get("/api/review-batches/" + b.batch()).then().statusCode(200)
                    .body("candidate.model", equalTo(ReviewFixtures.CANDIDATE_MODEL));
        }
        as("vic", "viewer", project).get("/api/verdicts?run=" + b.run()).then().statusCode(200).body("$", hasSize(1));

        as("eve", "engineer", project).post("/api/review-batches/" + b.batch() + "/close").then().statusCode(200);
        as("rita", "reviewer", project).get("/api/review-batches/" + b.batch()).then().statusCode(200)
                .body("candidate.model", equalTo(ReviewFixtures.CANDIDATE_MODEL));
        as("rita", "reviewer", project).get("/api/review-batches?project=" + project).then().statusCode(200)
                .body("id", hasItem(b.batch()));
        as("rita", "reviewer", project).get("/api/verdicts?run=" + b.run()).then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void shouldTellWhichProbeRunsAndPairsAnOpenBatchCovers() {
        Built b = build();
        String project = b.project();
        RequestSpecification rita = as("rita", "reviewer", project);
        coverage(rita, "probeRun=" + b.probeRun(), true);
        // another probe run sharing a target on the same suite version holds texts of the batch: covered
        UUID sibling = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, sibling, b.run(), UUID.randomUUID(), 600,
                ReviewFixtures.comparison(project, 1), "another-checkpoint", b.suiteVersion());
        coverage(as("rita", "reviewer", project), "probeRun=" + sibling, true);
        // the same targets on another suite version, and a probe run probe-runner does not know: not covered
        UUID elsewhere = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, elsewhere, b.run(), UUID.randomUUID(), 600,
                ReviewFixtures.comparison(project, 1), ReviewFixtures.CANDIDATE_MODEL, UUID.randomUUID());
        coverage(as("rita", "reviewer", project), "probeRun=" + elsewhere, false);
        coverage(as("rita", "reviewer", project), "probeRun=" + UUID.randomUUID(), false);
        // by pair: one shared target is enough (either side, either role)
        coverage(as("rita", "reviewer", project), "suiteVersion=" + b.suiteVersion() + "&candidate=" + BASELINE
                + "&baseline=other/model", true);
        coverage(as("rita", "reviewer", project), "suiteVersion=" + b.suiteVersion() + "&candidate=x/y&baseline=z/w", false);
        // another project's caller never learns about the batch
        coverage(as("otto", "reviewer", "other"), "probeRun=" + b.probeRun(), false);
        as("rita", "reviewer", project).get("/api/review-batches/open-coverage?suiteVersion=" + b.suiteVersion())
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("candidate", "baseline")));

        as("eve", "engineer", project).post("/api/review-batches/" + b.batch() + "/close").then().statusCode(200);
        coverage(as("rita", "reviewer", project), "probeRun=" + b.probeRun(), false);
        coverage(as("rita", "reviewer", project), "probeRun=" + sibling, false);
    }

    private static void coverage(RequestSpecification caller, String query, boolean covered) {
        caller.get("/api/review-batches/open-coverage?" + query).then().statusCode(200)
                .body("covered", equalTo(covered));
    }
}
