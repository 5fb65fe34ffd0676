package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewBatchResourceTest {

    @OidcWireMock
    WireMockServer wireMock;

    @Inject
    TestDb db;

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
            String opened = channel.queueDeclare().getQueue();
            channel.queueBind(opened, ReviewFixtures.REVIEW_EVENTS, "review-batch.opened");
            JsonObject event = ReviewFixtures.probeRunCompleted(eventId, project, probeRun, runId);
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed", event);
            // the same event again, and a second event for the same probe run: still one batch
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed", event);
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed",
                    ReviewFixtures.probeRunCompleted(UUID.randomUUID(), project, probeRun, runId));
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed",
                    ReviewFixtures.probeRunCompleted(UUID.randomUUID(), project, other, runId));
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

            // each opened batch announced once (review-batch.opened, through the outbox), with what notifications need
            java.util.List<JsonObject> events = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                com.rabbitmq.client.GetResponse got;
                while ((got = channel.basicGet(opened, true)) != null) {
                    JsonObject e = new JsonObject(new String(got.getBody(), java.nio.charset.StandardCharsets.UTF_8));
                    if (project.equals(e.getString("project"))) {
                        events.add(e);
                    }
                }
                return events.size() >= 2;
            });
            assertEquals(2, events.size(), events.toString());
            JsonObject first = events.stream().filter(e -> probeRun.toString().equals(e.getString("probeRunId")))
                    .findFirst().orElseThrow();
            assertEquals("review-batch.opened", first.getString("type"));
            assertEquals(1, first.getInteger("version"));
            assertEquals(runId.toString(), first.getString("runId"));
            assertEquals(400L, first.getLong("step"));
            assertEquals(4, first.getInteger("items"));
            assertEquals("base", first.getString("against"));
            assertEquals(ReviewFixtures.CANDIDATE_MODEL, first.getJsonObject("candidate").getString("model"));
            assertEquals(ReviewFixtures.BASELINE_MODEL, first.getJsonObject("baseline").getString("model"));
            String batchId = as("vic", "viewer", project).get("/api/review-batches?project=" + project).then()
                    .extract().path("find { it.probeRunId == '" + probeRun + "' }.id");
            assertEquals(batchId, first.getString("batchId"));
        }
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
                .body("errors.field", org.hamcrest.Matchers.hasItems("size"));
        // neither probeRun nor suiteVersion+candidate+baseline
        as("eve", "engineer", project).contentType("application/json")
                .body("{\"project\": \"" + project + "\"}")
                .post("/api/review-batches").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("probeRun"));
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

    private static final String CANDIDATE = ReviewFixtures.CANDIDATE_ENDPOINT + "/" + ReviewFixtures.CANDIDATE_MODEL;
    private static final String BASELINE = ReviewFixtures.BASELINE_ENDPOINT + "/" + ReviewFixtures.BASELINE_MODEL;

    private static JsonObject byTargets(String project, UUID suiteVersion) {
        return new JsonObject().put("project", project).put("suiteVersion", suiteVersion.toString())
                .put("candidate", new JsonObject().put("endpoint", ReviewFixtures.CANDIDATE_ENDPOINT)
                        .put("model", ReviewFixtures.CANDIDATE_MODEL))
                .put("baseline", new JsonObject().put("endpoint", ReviewFixtures.BASELINE_ENDPOINT)
                        .put("model", ReviewFixtures.BASELINE_MODEL));
    }

    @Test
    void shouldBuildABatchOnDemandFromASuiteVersionAndTwoTargets() {
        String project = ReviewFixtures.project();
        UUID suiteVersion = UUID.randomUUID();
        ReviewFixtures.stubComparisonOfTargets(wireMock, suiteVersion, CANDIDATE, BASELINE,
                ReviewFixtures.comparison(project, 4));
        String body = byTargets(project, suiteVersion).put("reviewsPerItem", 1).encode();
        String id = as("eve", "engineer", project).contentType("application/json").body(body)
                .post("/api/review-batches")
                .then().statusCode(201)
                .header("Location", containsString("/api/review-batches/"))
                .body("items", equalTo(4)) // the identical probe is skipped
                .body("suiteVersionId", equalTo(suiteVersion.toString()))
                .body("probeRunId", nullValue()).body("runId", nullValue())
                .body("checkpointId", nullValue()).body("step", nullValue())
                .body("candidate.model", equalTo(ReviewFixtures.CANDIDATE_MODEL))
                .body("baseline.endpoint", equalTo(ReviewFixtures.BASELINE_ENDPOINT))
                .extract().path("id");
        // asked again while it is open: the same batch, nothing queued twice
        as("eve", "engineer", project).contentType("application/json").body(body)
                .post("/api/review-batches").then().statusCode(200).body("id", equalTo(id)).body("items", equalTo(4));
        as("vic", "viewer", project).get("/api/review-batches?project=" + project).then().body("$", hasSize(1));

        // blind tasks and votes work as for probe-run batches; the verdict by pair includes the batch
        var task = as("rita", "reviewer", project).post("/api/reviews/next?project=" + project);
        task.then().statusCode(200).body("batchId", nullValue());
        assertEquals(id, db.batchOfTask(task.jsonPath().getString("taskId")));
        String candidateSide = task.jsonPath().getString("a.text").startsWith("cand") ? "A" : "B";
        as("rita", "reviewer", project).contentType("application/json")
                .body(new JsonObject().put("choice", candidateSide).encode())
                .post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").then().statusCode(200);
        as("vic", "viewer", project).get("/api/verdicts?project=" + project + "&candidate=" + CANDIDATE
                        + "&baseline=" + BASELINE)
                .then().statusCode(200).body("votes", equalTo(1)).body("wins", equalTo(1))
                .body("batchId", equalTo(id)).body("runId", nullValue()).body("step", nullValue());

        // once it is closed, asking again finds only outputs that were queued already: nothing new, 409
        as("eve", "engineer", project).post("/api/review-batches/" + id + "/close").then().statusCode(200);
        as("eve", "engineer", project).contentType("application/json").body(body)
                .post("/api/review-batches").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already queued"));
        // new outputs of the pair (say, a rerun) make a new batch of only the new ones
        JsonObject rerun = ReviewFixtures.comparison(project, 6);
        for (int i = 4; i < 6; i++) {
            rerun.getJsonArray("items").getJsonObject(i).getJsonObject("candidate").put("text", "new cand " + i);
        }
        ReviewFixtures.stubComparisonOfTargets(wireMock, suiteVersion, CANDIDATE, BASELINE, rerun);
        String second = as("eve", "engineer", project).contentType("application/json").body(body)
                .post("/api/review-batches").then().statusCode(201).body("items", equalTo(2))
                .extract().path("id");
        as("vic", "viewer", project).get("/api/verdicts?project=" + project + "&candidate=" + CANDIDATE
                        + "&baseline=" + BASELINE)
                .then().statusCode(200).body("votes", equalTo(1)).body("batchId", nullValue());
        org.junit.jupiter.api.Assertions.assertNotEquals(id, second);
    }

    @Test
    void shouldReturnTheOpenProbeRunBatchOfTheSamePairAndSuiteVersion() {
        String project = ReviewFixtures.project();
        UUID probeRun = UUID.randomUUID();
        JsonObject comparison = ReviewFixtures.comparison(project, 3);
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, UUID.randomUUID(), UUID.randomUUID(), 200, comparison);
        String fromRun = as("eve", "engineer", project).contentType("application/json")
                .body(new JsonObject().put("project", project).put("probeRun", probeRun.toString()).encode())
                .post("/api/review-batches").then().statusCode(201).extract().path("id");
        String suiteVersion = as("vic", "viewer", project).get("/api/review-batches/" + fromRun)
                .then().extract().path("suiteVersionId");
        as("eve", "engineer", project).contentType("application/json")
                .body(byTargets(project, UUID.fromString(suiteVersion)).encode())
                .post("/api/review-batches").then().statusCode(200).body("id", equalTo(fromRun));
    }

    @Test
    void shouldKeepQueueStatePerRunSoARunsBatchIgnoresOnDemandBatches() {
        String project = ReviewFixtures.project();
        UUID suiteVersion = UUID.randomUUID();
        ReviewFixtures.stubComparisonOfTargets(wireMock, suiteVersion, CANDIDATE, BASELINE,
                ReviewFixtures.comparison(project, 3));
        as("eve", "engineer", project).contentType("application/json")
                .body(byTargets(project, suiteVersion).encode())
                .post("/api/review-batches").then().statusCode(201).body("items", equalTo(3));
        // later a probe run of the same pair on that suite version completes with the same 3 changed outputs and a 4th:
        // queue state is per run, so the run's batch queues all four (only its own run's batches would count)
        UUID probeRun = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, UUID.randomUUID(), UUID.randomUUID(), 400,
                ReviewFixtures.comparison(project, 4), ReviewFixtures.CANDIDATE_MODEL, suiteVersion);
        String id = ReviewFixtures.createBatch(project, probeRun, 1).getString("id");
        as("vic", "viewer", project).get("/api/review-batches/" + id)
                .then().statusCode(200).body("items", equalTo(4)).body("probeRunId", equalTo(probeRun.toString()))
                .body("against", equalTo("base"));
    }

    @Test
    void shouldNameTheFieldWhenABatchRequestMixesOrMissesItsSource() {
        String project = ReviewFixtures.project();
        UUID suiteVersion = UUID.randomUUID();
        // both sources
        as("eve", "engineer", project).contentType("application/json")
                .body(byTargets(project, suiteVersion).put("probeRun", UUID.randomUUID().toString()).encode())
                .post("/api/review-batches").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("suiteVersion", "candidate", "baseline"));
        // targets incomplete
        JsonObject noBaseline = byTargets(project, suiteVersion);
        noBaseline.remove("baseline");
        as("eve", "engineer", project).contentType("application/json").body(noBaseline.encode())
                .post("/api/review-batches").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.contains("baseline"));
        JsonObject noSuite = byTargets(project, suiteVersion);
        noSuite.remove("suiteVersion");
        as("eve", "engineer", project).contentType("application/json").body(noSuite.encode())
                .post("/api/review-batches").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.contains("suiteVersion"));
        JsonObject slash = byTargets(project, suiteVersion);
        slash.getJsonObject("candidate").put("endpoint", "a/b");
        as("eve", "engineer", project).contentType("application/json").body(slash.encode())
                .post("/api/review-batches").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.contains("candidate.endpoint"));
        JsonObject noModel = byTargets(project, suiteVersion);
        noModel.getJsonObject("baseline").remove("model");
        as("eve", "engineer", project).contentType("application/json").body(noModel.encode())
                .post("/api/review-batches").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("baseline.model"));
        // a suite version probe-runner does not know (or another project's): 404, nothing stored
        as("eve", "engineer", project).contentType("application/json").body(byTargets(project, suiteVersion).encode())
                .post("/api/review-batches").then().statusCode(404).contentType("application/problem+json");
        UUID foreign = UUID.randomUUID();
        ReviewFixtures.stubComparisonOfTargets(wireMock, foreign, CANDIDATE, BASELINE,
                ReviewFixtures.comparison("elsewhere", 2));
        as("eve", "engineer", project).contentType("application/json").body(byTargets(project, foreign).encode())
                .post("/api/review-batches").then().statusCode(404);
        as("vic", "viewer", project).get("/api/review-batches?project=" + project).then().body("$", hasSize(0));
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
