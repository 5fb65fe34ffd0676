package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static dev.lookout.review.ReviewFixtures.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewBatchResourceTest {

    @OidcWireMock
    WireMockServer wireMock;

    @BeforeEach
    void stubs() {
        ReviewFixtures.stubTokenEndpoint(wireMock);
    }

    @Test
    void shouldBuildABatchWhenAProbeRunCompletes() throws Exception {
        String project = ReviewFixtures.project();
        UUID probeRun = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, runId, null, 400, ReviewFixtures.comparison(project, 4));
        ReviewFixtures.stubProbeRun(wireMock, project, other, runId, null, 600, ReviewFixtures.comparison(project, 2));
        UUID eventId = UUID.randomUUID();
        try (Connection connection = ReviewFixtures.rabbit(); Channel channel = connection.createChannel()) {
            JsonObject event = ReviewFixtures.probeRunCompleted(eventId, project, probeRun, runId);
            ReviewFixtures.publish(channel, "test.probe-runner.events", "probe-run.completed", event);
            // the same event again, and a second event for the same probe run: still one batch
            ReviewFixtures.publish(channel, "test.probe-runner.events", "probe-run.completed", event);
            ReviewFixtures.publish(channel, "test.probe-runner.events", "probe-run.completed",
                    ReviewFixtures.probeRunCompleted(UUID.randomUUID(), project, probeRun, runId));
            ReviewFixtures.publish(channel, "test.probe-runner.events", "probe-run.completed",
                    ReviewFixtures.probeRunCompleted(UUID.randomUUID(), project, other, runId));
        }
        // the consumer is ordered: once the last probe run's batch exists, the duplicates were handled too
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as("vic", "viewer", project).get("/api/review-batches?project=" + project)
                        .then().statusCode(200).body("$", hasSize(2)));
        as("vic", "viewer", project).get("/api/review-batches?project=" + project).then()
                .body("find { it.probeRunId == '" + probeRun + "' }.items", equalTo(4))
                .body("find { it.probeRunId == '" + probeRun + "' }.runId", equalTo(runId.toString()))
                .body("find { it.probeRunId == '" + probeRun + "' }.step", equalTo(400))
                .body("find { it.probeRunId == '" + probeRun + "' }.candidate.model", equalTo(ReviewFixtures.CANDIDATE_MODEL))
                .body("find { it.probeRunId == '" + probeRun + "' }.status", equalTo("open"))
                .body("find { it.probeRunId == '" + other + "' }.items", equalTo(2));
    }

    @Test
    void shouldCreateABatchOnDemandOnceAndThenReturnIt() {
        String project = ReviewFixtures.project();
        UUID probeRun = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, UUID.randomUUID(), UUID.randomUUID(), 200,
                ReviewFixtures.comparison(project, 5));
        String body = new JsonObject().put("project", project).put("probeRun", probeRun.toString())
                .put("size", 3).put("reviewsPerItem", 2).encode();
        String id = as("eve", "engineer", project).contentType("application/json").body(body)
                .post("/api/review-batches")
                .then().statusCode(201)
                .header("Location", containsString("/api/review-batches/"))
                .body("items", equalTo(3))
                .body("reviewsPerItem", equalTo(2))
                .body("baseline.endpoint", equalTo(ReviewFixtures.BASELINE_ENDPOINT))
                .extract().path("id");
        as("eve", "engineer", project).contentType("application/json").body(body)
                .post("/api/review-batches")
                .then().statusCode(200).body("id", equalTo(id));
        as("vic", "viewer", project).get("/api/review-batches/" + id).then().statusCode(200).body("items", equalTo(3));
    }

    @Test
    void shouldEnforceRolesAndProjects() {
        String project = ReviewFixtures.project();
        String body = new JsonObject().put("project", project).put("probeRun", UUID.randomUUID().toString()).encode();
        given().contentType("application/json").body(body).post("/api/review-batches").then().statusCode(401);
        as("rita", "reviewer", project).contentType("application/json").body(body)
                .post("/api/review-batches").then().statusCode(403)
                .contentType("application/problem+json");
        as("otto", "engineer", "other").contentType("application/json").body(body)
                .post("/api/review-batches").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("project not found"));
        // a probe run of another project (as probe-runner reports it) is not found either
        UUID foreign = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, "elsewhere", foreign, null, null, 1, ReviewFixtures.comparison("elsewhere", 1));
        as("eve", "engineer", project).contentType("application/json")
                .body(new JsonObject().put("project", project).put("probeRun", foreign.toString()).encode())
                .post("/api/review-batches").then().statusCode(404).body("detail", equalTo("probe run not found"));
        as("vic", "viewer", "other").get("/api/review-batches/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void shouldAnswerBadInputWithProblemDetails() {
        String project = ReviewFixtures.project();
        as("eve", "engineer", project).contentType("application/json")
                .body("{\"project\": \"" + project + "\", \"size\": 0}")
                .post("/api/review-batches").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("probeRun", "size"));
        as("eve", "engineer", project).contentType("application/json")
                .body("{\"project\": \"" + project + "\",\n \"probeRun\": ")
                .post("/api/review-batches").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].line", notNullValue())
                .body(org.hamcrest.Matchers.not(containsString("Exception")));
        as("eve", "engineer", project).contentType("application/json")
                .body("{\"project\": \"" + project + "\", \"probeRun\": \"not-a-uuid\"}")
                .post("/api/review-batches").then().statusCode(400)
                .body("errors[0].field", equalTo("probeRun"));
    }

    @Test
    void shouldServeOpenApiMetricsAndHealthWithoutAToken() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/reviews/next"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("Database connections health check"))
                .body(containsString("\"UP\""));
    }
}
