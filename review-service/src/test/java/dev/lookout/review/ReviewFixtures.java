package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.lookout.contracts.EventContracts;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;

/** Tokens, probe-runner stubs (on the OIDC WireMock server), comparison documents and broker helpers. */
public final class ReviewFixtures {

    public static final String SERVICE_TOKEN = "review-service-test-token";
    /** The test profile's own exchanges (application.properties, %test): never shared with probe-runner's tests. */
    public static final String PROBE_RUNNER_EVENTS = "test-review.probe-runner.events";
    public static final String REVIEW_EVENTS = "test-review.review.events";
    /** Target identity that must never reach a reviewer. */
    public static final String CANDIDATE_ENDPOINT = "secret-endpoint-cand";
    public static final String CANDIDATE_MODEL = "secret-model-ckpt-400";
    public static final String BASELINE_ENDPOINT = "secret-endpoint-base";
    public static final String BASELINE_MODEL = "secret-model-base";

    private ReviewFixtures() {
    }

    public static String project() {
        return "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String token(String user, List<String> roles, String... projects) {
        Set<String> groups = Arrays.stream(projects).map(p -> "/projects/" + p).collect(Collectors.toSet());
        return Jwt.preferredUserName(user)
                .claim("realm_access", Map.of("roles", roles))
                .groups(groups)
                .issuer("https://server.example.com")
                .audience("https://service.example.com")
                .expiresIn(600)
                .jws().keyId("1").sign("privateKey.jwk");
    }

    public static RequestSpecification as(String user, String role, String... projects) {
        return given().auth().oauth2(token(user, List.of(role), projects));
    }

    /** POST /api/review-batches as an engineer for a probe run stubbed with {@link #stubProbeRun}; 201 expected. */
    public static JsonPath createBatch(String project, UUID probeRun, int reviewsPerItem) {
        return as("eve", "engineer", project).contentType("application/json")
                .body(new JsonObject().put("project", project).put("probeRun", probeRun.toString())
                        .put("reviewsPerItem", reviewsPerItem).encode())
                .post("/api/review-batches").then().statusCode(201).extract().jsonPath();
    }

    /** A completed probe run (step 400) with {@code changed} changed probes, stubbed, and its batch; the batch id. */
    public static String changedBatch(WireMockServer server, String project, int changed, int reviewsPerItem) {
        UUID probeRun = UUID.randomUUID();
        stubProbeRun(server, project, probeRun, UUID.randomUUID(), UUID.randomUUID(), 400, comparison(project, changed));
        return createBatch(project, probeRun, reviewsPerItem).getString("id");
    }

    /** POST /api/reviews/next as a reviewer of the project. */
    public static Response next(String reviewer, String project) {
        return as(reviewer, "reviewer", project).post("/api/reviews/next?project=" + project);
    }

    /** Token endpoint for review-service's own client credentials (configured in %test). */
    public static void stubTokenEndpoint(WireMockServer server) {
        server.stubFor(post(urlEqualTo("/auth/realms/quarkus/review-service/token"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(new JsonObject().put("access_token", SERVICE_TOKEN).put("token_type", "Bearer")
                                .put("expires_in", 300).encode())));
    }

    /** probe-runner's GET /api/probe-runs/{id} and GET /api/comparisons?probeRun={id}; both demand the service token. */
    public static void stubProbeRun(WireMockServer server, String project, UUID probeRunId, UUID runId,
                                    UUID checkpointId, long step, JsonObject comparison) {
        stubProbeRun(server, project, probeRunId, runId, checkpointId, step, comparison, CANDIDATE_MODEL);
    }

    /** Same, with the candidate model named (one per checkpoint of a run). */
    public static void stubProbeRun(WireMockServer server, String project, UUID probeRunId, UUID runId,
                                    UUID checkpointId, long step, JsonObject comparison, String candidateModel) {
        stubProbeRun(server, project, probeRunId, runId, checkpointId, step, comparison, candidateModel, UUID.randomUUID());
    }

    /** Same, on a given suite version (to meet batches built by targets on it). */
    public static void stubProbeRun(WireMockServer server, String project, UUID probeRunId, UUID runId,
                                    UUID checkpointId, long step, JsonObject comparison, String candidateModel,
                                    UUID suiteVersion) {
        JsonObject run = new JsonObject()
                .put("id", probeRunId.toString()).put("project", project)
                .put("runId", runId == null ? null : runId.toString())
                .put("checkpointId", checkpointId == null ? null : checkpointId.toString())
                .put("step", step).put("suiteVersionId", suiteVersion.toString()).put("status", "completed")
                .put("total", comparison.getJsonArray("items").size())
                .put("targets", new JsonArray()
                        .add(new JsonObject().put("endpoint", CANDIDATE_ENDPOINT).put("model", candidateModel).put("label", "ckpt-400 secret label"))
                        .add(new JsonObject().put("endpoint", BASELINE_ENDPOINT).put("model", BASELINE_MODEL).put("label", "base")))
                .put("unknownField", "ignored");
        server.stubFor(get(urlEqualTo("/auth/probe-runner/api/probe-runs/" + probeRunId))
                .withHeader("Authorization", equalTo("Bearer " + SERVICE_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(run.encode())));
        server.stubFor(get(urlPathEqualTo("/auth/probe-runner/api/comparisons"))
                .withQueryParam("probeRun", equalTo(probeRunId.toString()))
                .withHeader("Authorization", equalTo("Bearer " + SERVICE_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(comparison.encode())));
    }

    /**
     * probe-runner's GET /api/comparisons?suiteVersion=&candidate=<endpoint>/<model>&baseline=<endpoint>/<model>
     * (the latest outputs of the pair on the suite version); demands the service token.
     */
    public static void stubComparisonOfTargets(WireMockServer server, UUID suiteVersion, String candidate,
                                               String baseline, JsonObject comparison) {
        server.stubFor(get(urlPathEqualTo("/auth/probe-runner/api/comparisons"))
                .withQueryParam("suiteVersion", equalTo(suiteVersion.toString()))
                .withQueryParam("candidate", equalTo(candidate))
                .withQueryParam("baseline", equalTo(baseline))
                .withHeader("Authorization", equalTo("Bearer " + SERVICE_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(comparison.copy().put("suiteVersionId", suiteVersion.toString())
                                .putNull("probeRunId").encode())));
    }

    /**
     * A comparison with {@code changed} changed probes (prompt "question i", candidate text "cand i", baseline
     * "base i"), one identical probe and no unchanged ones, so the batch holds exactly the changed probes.
     */
    public static JsonObject comparison(String project, int changed) {
        JsonArray items = new JsonArray();
        for (int i = 0; i < changed; i++) {
            items.add(new JsonObject()
                    .put("probeId", "probe-" + i)
                    .put("tags", new JsonArray().add("tone"))
                    .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "question " + i)))
                    .put("candidate", new JsonObject().put("text", "cand " + i).putNull("error"))
                    .put("baseline", new JsonObject().put("text", "base " + i).putNull("error"))
                    .put("identical", false).put("similarity", 0.5).put("changed", true).put("lengthRatio", 1.1));
        }
        items.add(new JsonObject()
                .put("probeId", "identical")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "same")))
                .put("candidate", new JsonObject().put("text", "same answer").putNull("error"))
                .put("baseline", new JsonObject().put("text", "same answer").putNull("error"))
                .put("identical", true).put("similarity", 1.0).put("changed", false));
        return new JsonObject()
                .put("suiteVersionId", UUID.randomUUID().toString()).put("project", project)
                .put("candidate", new JsonObject().put("endpoint", CANDIDATE_ENDPOINT).put("model", CANDIDATE_MODEL))
                .put("baseline", new JsonObject().put("endpoint", BASELINE_ENDPOINT).put("model", BASELINE_MODEL))
                .put("total", changed + 1).put("changed", changed).put("items", items);
    }

    /**
     * The contract's example of probe-run.completed (deploy/contracts) with the test's ids and the secret target names
     * in it, plus a field no version declares (consumers ignore unknown fields).
     */
    public static JsonObject probeRunCompleted(UUID eventId, String project, UUID probeRunId, UUID runId) {
        return new JsonObject(EventContracts.exampleWith("probe-run.completed", 1, "checkpoint-vs-baseline",
                EventContracts.values("eventId", eventId.toString(), "project", project,
                        "probeRunId", probeRunId.toString(), "runId", runId.toString(),
                        "checkpointId", UUID.randomUUID().toString(), "step", 400,
                        "suiteVersionId", UUID.randomUUID().toString(),
                        "candidate.endpoint", CANDIDATE_ENDPOINT, "candidate.model", CANDIDATE_MODEL,
                        "baseline.endpoint", BASELINE_ENDPOINT, "baseline.model", BASELINE_MODEL)))
                .put("someFutureField", true);
    }

    public static Connection rabbit() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory.newConnection("review-service-tests");
    }

    public static void publish(Channel channel, String exchange, String routingKey, JsonObject body) throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).messageId(body.getString("eventId")).build();
        channel.basicPublish(exchange, routingKey, props, body.encode().getBytes(StandardCharsets.UTF_8));
    }
}
