package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The whole role x endpoint x project matrix of the contracts' security model, through the gateway with real Keycloak
 * tokens: every caller (ada admin, eve engineer, rita reviewer, vic viewer, otto engineer+reviewer of the other
 * project, the training-job and review-service service accounts, no token, a garbage token, a tampered token and an
 * expired one) calls every endpoint group on a resource of project demo and of project other. One table row per
 * (endpoint, caller, project); the expected status follows from the model alone:
 * <ul>
 * <li>no usable token → 401;</li>
 * <li>a role outside the endpoint's list → 403 (roles are checked before anything else);</li>
 * <li>a project the caller is not in (admin and service see all) → 404, like a missing resource;</li>
 * <li>a reviewer-only caller (rita) reading what an open review batch covers — the batch itself, its probe run's
 * outputs, its comparison — → 404, like a resource they cannot read (reviewers stay blind);</li>
 * <li>{@code GET /api/reviews/next} → 405 for every signed-in caller (a task is leased with POST);</li>
 * <li>otherwise the endpoint's success status (200, 201, 202; next task 200 or 204).</li>
 * </ul>
 * Lists are checked for what they leave out: another project's resources are never listed.
 */
@ExtendWith(SystemExtension.class)
class SecurityMatrixIT {

    static final String DEMO = "demo";
    static final String OTHER = "other";

    static final Set<String> READ = Set.of("viewer", "reviewer", "engineer", "admin", "service");
    static final Set<String> WRITE = Set.of("engineer", "admin");
    static final Set<String> VOTE = Set.of("reviewer", "admin");

    /** Who calls: their realm roles and projects as the realm gives them. */
    enum Who {
        ADA(Set.of("admin"), Set.of(DEMO)),
        EVE(Set.of("engineer"), Set.of(DEMO)),
        RITA(Set.of("reviewer"), Set.of(DEMO)),
        VIC(Set.of("viewer"), Set.of(DEMO)),
        OTTO(Set.of("engineer", "reviewer"), Set.of(OTHER)),
        TRAINING_JOB(Set.of("engineer"), Set.of(DEMO)),
        REVIEW_SERVICE(Set.of("service"), Set.of()),
        NO_TOKEN(null, Set.of()),
        GARBAGE_TOKEN(null, Set.of()),
        TAMPERED_TOKEN(null, Set.of()),
        EXPIRED_TOKEN(null, Set.of());

        final Set<String> roles;
        final Set<String> projects;

        Who(Set<String> roles, Set<String> projects) {
            this.roles = roles;
            this.projects = projects;
        }

        boolean authenticated() {
            return roles != null;
        }

        boolean sees(String project) {
            return roles.contains("admin") || roles.contains("service") || projects.contains(project);
        }

        /** Reviewer, but neither engineer, admin nor service: kept blind to what an open review batch covers. */
        boolean blind() {
            return roles.contains("reviewer") && !roles.contains("engineer") && !roles.contains("admin")
                    && !roles.contains("service");
        }

        /** A project this caller is in ("own") — for admin and service, demo. */
        String own() {
            return projects.isEmpty() ? DEMO : projects.iterator().next();
        }

        String user() {
            return name().toLowerCase();
        }
    }

    /** What one project holds for the matrix to point at. */
    record Fixture(String project, String endpointName, String endpointId, String suiteName, String suiteId, String run,
                   String checkpoint, String probeRun, String batch) {
    }

    /** One endpoint of an endpoint group: the roles it allows, its success statuses and how to call it. */
    /**
     * One row group of the matrix. A {@code filteredList} is a list filtered by another service's id (verdicts of a
     * run): its owner cannot tell another project's run from a run without data, so for a project the caller is not
     * in it may answer 404 or an empty list — never the data.
     */
    record Endpoint(String group, String label, Set<String> roles, Set<Integer> success, Call call, boolean filteredList,
                    boolean hiddenFromBlind, boolean methodNotAllowed) {
        Endpoint(String group, String label, Set<String> roles, Set<Integer> success, Call call, boolean filteredList) {
            this(group, label, roles, success, call, filteredList, false, false);
        }

        Endpoint(String group, String label, Set<String> roles, Set<Integer> success, Call call) {
            this(group, label, roles, success, call, false);
        }

        /** Reads what the fixture's open review batch covers: 404 for a reviewer-only caller. */
        Endpoint blindToReviewers() {
            return new Endpoint(group, label, roles, success, call, filteredList, true, methodNotAllowed);
        }

        /** A method the path does not take: 405 for every signed-in caller, whatever the project. */
        Endpoint wrongMethod() {
            return new Endpoint(group, label, roles, success, call, filteredList, hiddenFromBlind, true);
        }
    }

    @FunctionalInterface
    interface Call {
        Response call(RequestSpecification request, Fixture fixture, Who who);
    }

    static final Map<Who, String> TOKENS = new EnumMap<>(Who.class);
    static final Map<String, Fixture> FIXTURES = new java.util.HashMap<>();
    /** Per project, a review task leased to somebody (rob in demo, otto in other): never the caller's own. */
    static final Map<String, String> FOREIGN_TASKS = new java.util.HashMap<>();

    @BeforeAll
    static void fixturesAndTokens() {
        String job = Api.trainingJobToken();
        String otto = Api.userToken("otto");
        FIXTURES.put(DEMO, fixture(job, DEMO));
        FIXTURES.put(OTHER, fixture(otto, OTHER));
        FOREIGN_TASKS.put(DEMO, nextTask(Api.userToken("rob"), DEMO));
        FOREIGN_TASKS.put(OTHER, nextTask(otto, OTHER));

        for (Who who : List.of(Who.ADA, Who.EVE, Who.RITA, Who.VIC, Who.OTTO)) {
            TOKENS.put(who, Api.userToken(who.user()));
        }
        TOKENS.put(Who.TRAINING_JOB, job);
        TOKENS.put(Who.REVIEW_SERVICE, Api.reviewServiceToken());
        TOKENS.put(Who.GARBAGE_TOKEN, "not-a-jwt");
        // eve's real token with one signature byte changed: well-formed, wrong signature
        String eve = TOKENS.get(Who.EVE);
        int cut = eve.lastIndexOf('.') + 5;
        TOKENS.put(Who.TAMPERED_TOKEN, eve.substring(0, cut) + (eve.charAt(cut) == 'A' ? 'B' : 'A') + eve.substring(cut + 1));
        // a real, correctly signed token of eve that has expired (test-only client: access tokens live 1 s)
        String expired = Api.shortLivedUserToken("eve").getString("access_token");
        Instant exp = Instant.ofEpochSecond(claims(expired).getLong("exp"));
        await("eve's short-lived token has expired").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(exp.plusSeconds(2)));
        TOKENS.put(Who.EXPIRED_TOKEN, expired);
    }

    /** An endpoint, an eight-probe suite, a run with checkpoint 600, its probe run completed and its review batch. */
    static Fixture fixture(String token, String project) {
        String endpointName = Seed.unique("sim-matrix");
        String endpointId = Seed.endpoint(token, project, endpointName, 200);
        String suiteName = Seed.unique("matrix");
        String suiteId = Seed.suite(token, project, suiteName, Seed.eightProbes());
        String run = Seed.run(token, project, Seed.unique("matrix-" + project), endpointName, suiteName);
        String checkpoint = Seed.checkpoint(token, run, 600, endpointName);
        String probeRun = (String) Seed.awaitProbeRunsCompleted(token, project, run, 1).get(0).get("id");
        String batch = Seed.awaitReviewBatch(token, project, probeRun);
        return new Fixture(project, endpointName, endpointId, suiteName, suiteId, run, checkpoint, probeRun, batch);
    }

    static String nextTask(String token, String project) {
        Response next = await("a review task in " + project).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.gateway(token).queryParam("project", project).when().post("/api/reviews/next"),
                        r -> r.statusCode() == 200);
        return next.jsonPath().getString("taskId");
    }

    static JsonPath claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return new JsonPath(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            // runs (ingest-service)
            new Endpoint("runs read", "GET /api/runs/{run}", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/runs/" + f.run())),
            new Endpoint("runs read", "GET /api/runs/{run}/checkpoints", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/runs/" + f.run() + "/checkpoints")),
            new Endpoint("runs read", "GET /api/runs/{run}/series", READ, Set.of(200),
                    (r, f, w) -> r.queryParam("name", "train/loss").get("/api/runs/" + f.run() + "/series")),
            new Endpoint("runs read", "GET /api/runs/{run}/alarms", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/runs/" + f.run() + "/alarms")),
            new Endpoint("runs write", "POST /api/runs", WRITE, Set.of(201),
                    (r, f, w) -> r.body(Map.of("project", f.project(), "name", Seed.unique("matrix-" + w.user()),
                            "baseline", Map.of("endpoint", f.endpointName(), "model", "demo-base"))).post("/api/runs")),
            new Endpoint("runs write", "POST /api/runs/{run}/metrics", WRITE, Set.of(200),
                    (r, f, w) -> r.body(Map.of("points", List.of(Map.of("name", "train/loss", "step",
                            5000 + w.ordinal(), "value", 1.0)))).post("/api/runs/" + f.run() + "/metrics")),
            // suites, endpoints, probe runs, comparisons (probe-runner)
            new Endpoint("suites read", "GET /api/suites/{id}", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/suites/" + f.suiteId())),
            new Endpoint("suites write", "POST /api/suites", WRITE, Set.of(201),
                    (r, f, w) -> r.body(Map.of("project", f.project(), "name", Seed.unique("matrix-" + w.user()),
                            "probes", List.of(Seed.probe("p1", "How do I reset my password?", List.of("account")))))
                            .post("/api/suites")),
            new Endpoint("endpoints read", "GET /api/endpoints/{id}", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/endpoints/" + f.endpointId())),
            new Endpoint("endpoints write", "POST /api/endpoints", WRITE, Set.of(201),
                    (r, f, w) -> r.body(Map.of("project", f.project(), "name", Seed.unique("matrix-" + w.user()),
                            "baseUrl", SystemUnderTest.SIMULATOR_URL)).post("/api/endpoints")),
            new Endpoint("probe-runs read", "GET /api/probe-runs/{id}", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/probe-runs/" + f.probeRun())),
            new Endpoint("probe-runs read", "GET /api/probe-runs/{id}/outputs", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/probe-runs/" + f.probeRun() + "/outputs")).blindToReviewers(),
            new Endpoint("probe-runs write", "POST /api/probe-runs", WRITE, Set.of(202),
                    (r, f, w) -> r.body(Map.of("project", f.project(), "suite", f.suiteName(),
                            "targets", List.of(Map.of("endpoint", f.endpointName(), "model", "demo-base"))))
                            .post("/api/probe-runs")),
            new Endpoint("comparisons read", "GET /api/comparisons?probeRun=", READ, Set.of(200),
                    (r, f, w) -> r.queryParam("probeRun", f.probeRun()).get("/api/comparisons")).blindToReviewers(),
            // reviews, batches, verdicts, exports (review-service)
            new Endpoint("reviews next", "POST /api/reviews/next?project=", VOTE, Set.of(200, 204),
                    (r, f, w) -> r.queryParam("project", f.project()).post("/api/reviews/next")),
            new Endpoint("reviews next (GET)", "GET /api/reviews/next?project=", READ, Set.of(405),
                    (r, f, w) -> r.queryParam("project", f.project()).get("/api/reviews/next")).wrongMethod(),
            new Endpoint("reviews vote", "POST /api/reviews/{task}/vote", VOTE, Set.of(200),
                    (r, f, w) -> r.body(Map.of("choice", "TIE", "tags", List.of(), "comment", "security matrix"))
                            .post("/api/reviews/" + taskFor(w, f) + "/vote")),
            new Endpoint("review-batches read", "GET /api/review-batches/{batch}", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/review-batches/" + f.batch())).blindToReviewers(),
            new Endpoint("verdicts read", "GET /api/verdicts?run=", READ, Set.of(200),
                    (r, f, w) -> r.queryParam("run", f.run()).get("/api/verdicts"), true),
            new Endpoint("verdicts read", "GET /api/verdicts/bradley-terry?run=", READ, Set.of(200),
                    (r, f, w) -> r.queryParam("run", f.run()).get("/api/verdicts/bradley-terry"), true),
            new Endpoint("exports (engineer)", "GET /api/exports/preferences?run=&format=trl", WRITE, Set.of(200),
                    (r, f, w) -> r.accept("*/*").queryParam("run", f.run()).queryParam("format", "trl")
                            .get("/api/exports/preferences")),
            // per-project settings: alarm thresholds (ingest-service), comparison settings (probe-runner); a write puts
            // back what an admin read, so the matrix never changes a project's behaviour
            new Endpoint("project settings read", "GET /api/projects/{key}/alarm-thresholds", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/projects/" + f.project() + "/alarm-thresholds")),
            new Endpoint("project settings write", "PUT /api/projects/{key}/alarm-thresholds", WRITE, Set.of(200),
                    (r, f, w) -> r.body(currentSettings(f.project(), "alarm-thresholds"))
                            .put("/api/projects/" + f.project() + "/alarm-thresholds")),
            new Endpoint("project settings read", "GET /api/projects/{key}/comparison-settings", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/projects/" + f.project() + "/comparison-settings")),
            new Endpoint("project settings write", "PUT /api/projects/{key}/comparison-settings", WRITE, Set.of(200),
                    (r, f, w) -> r.body(currentSettings(f.project(), "comparison-settings"))
                            .put("/api/projects/" + f.project() + "/comparison-settings")),
            // the gateway's own
            new Endpoint("rounds read", "GET /api/rounds/{run}", READ, Set.of(200),
                    (r, f, w) -> r.get("/api/rounds/" + f.run())));

    /**
     * The body of a write that changes nothing, from what ada (admin) reads: comparison settings round-trip as they
     * are; alarm thresholds are PUT as the project's {@code overrides} (the GET also carries the effective values).
     */
    static Object currentSettings(String project, String setting) {
        JsonPath current = Api.gateway(TOKENS.get(Who.ADA)).when().get("/api/projects/" + project + "/" + setting)
                .then().statusCode(200).extract().jsonPath();
        if ("alarm-thresholds".equals(setting)) {
            Map<String, Object> overrides = current.getMap("overrides");
            return overrides == null ? Map.of() : overrides;
        }
        return current.getMap("$");
    }

    /**
     * The task a vote is cast on: the caller's own next task when they may vote in the project (so success means a
     * real vote), otherwise a task leased to somebody else in that project.
     */
    static String taskFor(Who who, Fixture fixture) {
        if (who.authenticated() && who.roles.stream().anyMatch(VOTE::contains) && who.sees(fixture.project())) {
            return nextTask(TOKENS.get(who), fixture.project());
        }
        return FOREIGN_TASKS.get(fixture.project());
    }

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Who who : Who.values()) {
                for (String project : List.of(DEMO, OTHER)) {
                    String relation = !who.authenticated() ? project
                            : who.projects.contains(project) ? project + " (own)"
                            : who.sees(project) ? project + " (sees all)" : project + " (other)";
                    Set<Integer> expected = expected(endpoint, who, project);
                    rows.add(Arguments.of(endpoint.group() + " | " + endpoint.label() + " | " + who + " | " + relation
                            + " → " + expected, endpoint, who, project, expected));
                }
            }
        }
        return rows.stream();
    }

    static Set<Integer> expected(Endpoint endpoint, Who who, String project) {
        if (!who.authenticated()) {
            return Set.of(401);
        }
        if (endpoint.methodNotAllowed()) {
            return Set.of(405);
        }
        if (who.roles.stream().noneMatch(endpoint.roles()::contains)) {
            return Set.of(403);
        }
        if (!who.sees(project)) {
            return endpoint.filteredList() ? Set.of(200, 404) : Set.of(404);
        }
        if (endpoint.hiddenFromBlind() && who.blind()) {
            return Set.of(404);
        }
        return endpoint.success();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void roleByEndpointByProject(String row, Endpoint endpoint, Who who, String project, Set<Integer> expected) {
        Fixture fixture = FIXTURES.get(project);
        RequestSpecification request = request(who);
        Response response = endpoint.call().call(request, fixture, who);
        int status = response.statusCode();
        String body = response.asString();
        assertTrue(expected.contains(status), row + ": got " + status + " " + abbreviate(body));
        if (status == 404) {
            assertNoLeak(row, body, fixture);
        }
        if (status == 200 && who.authenticated() && !who.sees(project)) {
            assertTrue(response.jsonPath().getList("$").isEmpty(), row + ": another project's data " + abbreviate(body));
        }
        if (status == 401 || status == 403) {
            assertNoLeak(row, body, fixture);
        }
    }

    /** Lists: another project's resources are never in them; the caller's own are. */
    @ParameterizedTest(name = "lists | {0}")
    @MethodSource("listCallers")
    void listsLeaveOutOtherProjects(Who who) {
        String token = TOKENS.get(who);
        Map<String, Function<Fixture, String>> lists = Map.of(
                "/api/runs", Fixture::run,
                "/api/suites", Fixture::suiteId,
                "/api/endpoints", Fixture::endpointId,
                "/api/probe-runs", Fixture::probeRun,
                "/api/review-batches", Fixture::batch);
        lists.forEach((path, id) -> {
            for (String project : List.of(DEMO, OTHER)) {
                for (boolean filtered : List.of(false, true)) {
                    RequestSpecification request = Api.gateway(token);
                    if (filtered) {
                        request = request.queryParam("project", project);
                    }
                    Response response = request.when().get(path);
                    String where = "GET " + path + (filtered ? "?project=" + project : "") + " | " + who + " | " + project;
                    if (!who.sees(project) && filtered) {
                        // a filter naming a project the caller is not in: empty, or 404 like a missing project
                        assertTrue(response.statusCode() == 200 || response.statusCode() == 404,
                                where + ": got " + response.statusCode());
                    } else {
                        assertTrue(response.statusCode() == 200, where + ": got " + response.statusCode() + " "
                                + abbreviate(response.asString()));
                    }
                    if (response.statusCode() != 200) {
                        continue;
                    }
                    List<String> ids = response.jsonPath().getList("id");
                    String wanted = id.apply(FIXTURES.get(project));
                    if (who.blind() && "/api/review-batches".equals(path)) {
                        // the fixture's batch is open: a reviewer-only caller never lists it (nor its targets)
                        assertFalse(ids.contains(wanted), where + ": lists the open batch " + wanted);
                    } else if (who.sees(project)) {
                        assertTrue(ids.contains(wanted), where + ": own " + wanted + " missing from " + ids.size() + " items");
                    } else {
                        assertFalse(ids.contains(wanted), where + ": lists another project's " + wanted);
                        assertFalse(response.asString().contains(FIXTURES.get(project).endpointName()),
                                where + ": names another project's endpoint");
                    }
                }
            }
        });
    }

    static Stream<Who> listCallers() {
        return Stream.of(Who.ADA, Who.EVE, Who.RITA, Who.VIC, Who.OTTO, Who.TRAINING_JOB, Who.REVIEW_SERVICE);
    }

    static RequestSpecification request(Who who) {
        RequestSpecBuilder spec = new RequestSpecBuilder().setBaseUri(SystemUnderTest.GATEWAY_URL)
                .setContentType(ContentType.JSON).setAccept(ContentType.JSON);
        if (who != Who.NO_TOKEN) {
            spec.addHeader("Authorization", "Bearer " + TOKENS.get(who));
        }
        return RestAssured.given().spec(spec.build()).redirects().follow(false);
    }

    /** A refusal never carries the resource's data: not the run's name, nor the endpoint's name or URL. */
    static void assertNoLeak(String row, String body, Fixture fixture) {
        assertFalse(body.contains(fixture.endpointName()) || body.contains(fixture.suiteName())
                        || body.contains(SystemUnderTest.SIMULATOR_URL),
                row + ": the refusal leaks data: " + abbreviate(body));
    }

    static String abbreviate(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }
}
