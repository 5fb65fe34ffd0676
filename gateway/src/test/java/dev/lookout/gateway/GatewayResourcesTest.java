package dev.lookout.gateway;

import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(UpstreamsWireMock.class)
class GatewayResourcesTest {

    private static final String RUN = GatewayFixtures.RUN_ID;

    @BeforeEach
    void reset() {
        UpstreamsWireMock.server().resetAll();
    }

    private void stubIngest() {
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/ingest/api/runs/" + RUN))
                .willReturn(okJson(GatewayFixtures.runJson())));
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/ingest/api/runs/" + RUN + "/checkpoints"))
                .willReturn(okJson(GatewayFixtures.checkpointsJson())));
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/ingest/api/runs/" + RUN + "/alarms"))
                .willReturn(okJson(GatewayFixtures.alarmsJson())));
    }

    private void stubProbeRuns() {
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/probe-runner/api/probe-runs?run=" + RUN))
                .willReturn(okJson(GatewayFixtures.probeRunsJson())));
    }

    @Test
    void shouldDescribeTheCallerFromTheToken() {
        given().auth().oauth2(GatewayFixtures.token("otto", List.of("engineer", "reviewer"),
                        Set.of("/projects/other", "/team/ops")))
                .when().get("/api/me")
                .then().statusCode(200)
                .body("user", equalTo("otto"))
                .body("roles", contains("engineer", "reviewer"))
                .body("projects", contains("other"))
                .body("allProjects", equalTo(false));
    }

    @Test
    void shouldComposeTheFullRoundReportWithTheCallersToken() {
        stubIngest();
        stubProbeRuns();
        UpstreamsWireMock.server().stubFor(comparisonOfProbeRun(PR200).willReturn(okJson(
                GatewayFixtures.comparisonJson("demo-ckpt-200", "demo-base", 0.25, 0.05))));
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/review/api/verdicts?run=" + RUN))
                .willReturn(okJson(GatewayFixtures.verdictsJson())));
        String token = GatewayFixtures.eve();
        given().auth().oauth2(token).when().get("/api/rounds/" + RUN)
                .then().statusCode(200)
                .body("run.id", equalTo(RUN))
                .body("run.name", equalTo("sft-round-3"))
                .body("run.project", equalTo("demo"))
                .body("run.baseline.model", equalTo("demo-base"))
                .body("missing", empty())
                .body("checkpoints", hasSize(2))
                .body("checkpoints[0].step", equalTo(200))
                .body("checkpoints[0].loss.train", equalTo(1.2f))
                .body("checkpoints[0].behaviour.shareChanged", equalTo(0.25f))
                .body("checkpoints[0].behaviour.changed", equalTo(10))
                .body("checkpoints[0].verdict.wins", equalTo(6))
                .body("checkpoints[0].verdict.decided", equalTo(false))
                .body("checkpoints[0].missing", empty())
                .body("checkpoints[0].alarms", empty())
                .body("checkpoints[0].flags", empty())
                .body("checkpoints[0].behaviour.checks.passRateChange", equalTo(0.05f))
                .body("checkpoints[1].step", equalTo(400))
                .body("checkpoints[1].alarms[0].kind", equalTo("too-fast-drop"))
                // the alarm alone is not memorising: the running probe run's stock phrases are not known yet
                .body("checkpoints[1].flags", empty())
                .body("checkpoints[1].missing", hasItem(containsString("Memorising not judged")))
                .body("checkpoints[1].loss.trainDelta", equalTo(-0.3f))
                .body("checkpoints[1].behaviour.status", equalTo("running"))
                .body("checkpoints[1].behaviourVsPrevious", nullValue())
                .body("checkpoints[1].verdict", nullValue())
                .body("checkpoints[1].missing", hasSize(3));
        for (String path : List.of("/ingest/api/runs/" + RUN, "/ingest/api/runs/" + RUN + "/checkpoints",
                "/ingest/api/runs/" + RUN + "/alarms", "/probe-runner/api/probe-runs?run=" + RUN,
                "/review/api/verdicts?run=" + RUN)) {
            UpstreamsWireMock.server().verify(getRequestedFor(urlEqualTo(path))
                    .withHeader("Authorization",
                            com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + token)));
        }
    }

    private static final String PR200 = "aaaaaaaa-0000-4000-8000-000000000200";
    private static final String PR400 = "aaaaaaaa-0000-4000-8000-000000000400";
    private static final String SUITE_VERSION = "bbbbbbbb-0000-4000-8000-000000000001";

    /** Both probe runs completed, so the report asks for comparisons. */
    private void stubCompletedProbeRuns() {
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/probe-runner/api/probe-runs?run=" + RUN))
                .willReturn(okJson(GatewayFixtures.probeRunsJson()
                        .replace("\"status\":\"running\"", "\"status\":\"completed\"")
                        .replace("\"comparison\":null",
                                "\"comparison\":{\"total\":40,\"changed\":4,\"identical\":36,\"shareChanged\":0.1}"))));
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/review/api/verdicts?run=" + RUN))
                .willReturn(okJson(GatewayFixtures.verdictsJson())));
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder comparisonOfProbeRun(String probeRun) {
        return get(urlPathEqualTo("/probe-runner/api/comparisons")).withQueryParam("probeRun", equalToWm(probeRun));
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder comparisonOf400Vs200() {
        return get(urlPathEqualTo("/probe-runner/api/comparisons"))
                .withQueryParam("suiteVersion", equalToWm(SUITE_VERSION))
                .withQueryParam("candidate", equalToWm("local-vllm/demo-ckpt-400"))
                .withQueryParam("baseline", equalToWm("local-vllm/demo-ckpt-200"));
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern equalToWm(String value) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(value);
    }

    @Test
    void shouldAddTheChangeAgainstThePreviousCheckpointAndFlagMemorisingWithAlarmAndNewPhrases() {
        stubIngest();
        stubCompletedProbeRuns();
        UpstreamsWireMock.server().stubFor(comparisonOfProbeRun(PR200).willReturn(okJson(
                GatewayFixtures.comparisonJson("demo-ckpt-200", "demo-base", 0.25, 0.05))));
        UpstreamsWireMock.server().stubFor(comparisonOfProbeRun(PR400).willReturn(okJson(
                GatewayFixtures.comparisonJson("demo-ckpt-400", "demo-base", 0.1, -0.2, "请您放心"))));
        UpstreamsWireMock.server().stubFor(comparisonOf400Vs200().willReturn(okJson(
                GatewayFixtures.comparisonJson("demo-ckpt-400", "demo-ckpt-200", 0.3, -0.25, "请您放心",
                        "we will handle it as soon as possible"))));
        String token = GatewayFixtures.eve();
        given().auth().oauth2(token).when().get("/api/rounds/" + RUN)
                .then().statusCode(200)
                .body("missing", empty())
                .body("checkpoints[0].behaviour.checks.passRateChange", equalTo(0.05f))
                .body("checkpoints[0].behaviour.stockPhrases", empty())
                .body("checkpoints[0].behaviourVsPrevious", nullValue())
                .body("checkpoints[0].flags", empty())
                .body("checkpoints[1].behaviour.against", equalTo("base"))
                .body("checkpoints[1].behaviour.shareChanged", equalTo(0.1f))
                .body("checkpoints[1].behaviour.checks.passRateChange", equalTo(-0.2f))
                .body("checkpoints[1].behaviour.stockPhrases[0].phrase", equalTo("请您放心"))
                .body("checkpoints[1].behaviourVsPrevious.against", equalTo("previous"))
                .body("checkpoints[1].behaviourVsPrevious.baseline.model", equalTo("demo-ckpt-200"))
                .body("checkpoints[1].behaviourVsPrevious.baselineStep", equalTo(200))
                .body("checkpoints[1].behaviourVsPrevious.shareChanged", equalTo(0.3f))
                .body("checkpoints[1].behaviourVsPrevious.checks.passRateChange", equalTo(-0.25f))
                .body("checkpoints[1].behaviourVsPrevious.stockPhrases.phrase",
                        contains("请您放心", "we will handle it as soon as possible"))
                .body("checkpoints[1].flags.kind", hasItem("memorising"))
                .body("checkpoints[1].flags.find { it.kind == 'memorising' }.evidence.alarmKinds",
                        contains("too-fast-drop"))
                .body("checkpoints[1].flags.find { it.kind == 'memorising' }.evidence.stockPhrasesAgainst",
                        equalTo("previous"))
                .body("checkpoints[1].flags.find { it.kind == 'memorising' }.evidence.phrases", hasSize(2))
                .body("checkpoints[1].missing", contains(containsString("No human verdict yet")));
        UpstreamsWireMock.server().verify(getRequestedFor(urlPathEqualTo("/probe-runner/api/comparisons"))
                .withQueryParam("suiteVersion", equalToWm(SUITE_VERSION))
                .withHeader("Authorization", equalToWm("Bearer " + token)));
    }

    @Test
    void shouldHideComparisonsAnOpenReviewBatchCoversFromAReviewer() {
        stubIngest();
        stubCompletedProbeRuns();
        UpstreamsWireMock.server().stubFor(comparisonOfProbeRun(PR200).willReturn(okJson(
                GatewayFixtures.comparisonJson("demo-ckpt-200", "demo-base", 0.25, 0.05))));
        UpstreamsWireMock.server().stubFor(comparisonOfProbeRun(PR400).willReturn(okJson(
                GatewayFixtures.comparisonJson("demo-ckpt-400", "demo-base", 0.1, -0.2, "请您放心"))));
        UpstreamsWireMock.server().stubFor(comparisonOf400Vs200().willReturn(okJson(
                GatewayFixtures.comparisonJson("demo-ckpt-400", "demo-ckpt-200", 0.3, -0.25, "请您放心"))));
        // step 200's batch is closed (not covered); step 400's is open (covered, and so is 400 vs 200)
        String coverage = "/review/api/review-batches/open-coverage";
        UpstreamsWireMock.server().stubFor(get(urlPathEqualTo(coverage)).willReturn(okJson("{\"covered\":true}")));
        UpstreamsWireMock.server().stubFor(get(urlPathEqualTo(coverage)).withQueryParam("probeRun", equalToWm(PR200))
                .willReturn(okJson("{\"covered\":false}")));
        String rita = GatewayFixtures.rita();
        given().auth().oauth2(rita).when().get("/api/rounds/" + RUN)
                .then().statusCode(200)
                .body("checkpoints[0].behaviour.checks.passRateChange", equalTo(0.05f))
                .body("checkpoints[1].behaviour.shareChanged", equalTo(0.1f))
                .body("checkpoints[1].behaviour.checks", nullValue())
                .body("checkpoints[1].behaviour.stockPhrases", nullValue())
                .body("checkpoints[1].behaviourVsPrevious", nullValue())
                .body("checkpoints[1].missing", hasItem(containsString("hidden from reviewers")));
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathEqualTo("/probe-runner/api/comparisons"))
                .withQueryParam("probeRun", equalToWm(PR400)));
        UpstreamsWireMock.server().verify(getRequestedFor(urlPathEqualTo(coverage))
                .withQueryParam("probeRun", equalToWm(PR400)).withHeader("Authorization", equalToWm("Bearer " + rita)));
        // an engineer is never checked and sees it all
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/" + RUN)
                .then().statusCode(200).body("checkpoints[1].behaviour.stockPhrases[0].phrase", equalTo("请您放心"));
        UpstreamsWireMock.server().verify(3, getRequestedFor(urlPathEqualTo(coverage))); // rita's three comparisons only
    }

    @Test
    void shouldSayWhatIsMissingWhenComparisonsFailOrAreUnknown() {
        stubIngest();
        stubCompletedProbeRuns();
        UpstreamsWireMock.server().stubFor(comparisonOfProbeRun(PR200)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        UpstreamsWireMock.server().stubFor(comparisonOfProbeRun(PR400).willReturn(okJson("{}").withFixedDelay(3000)));
        UpstreamsWireMock.server().stubFor(comparisonOf400Vs200().willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":404}")));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/" + RUN)
                .then().statusCode(200)
                .body("checkpoints[0].behaviour.shareChanged", equalTo(0.25f))
                .body("checkpoints[0].behaviour.checks", nullValue())
                .body("checkpoints[0].missing", hasItem(containsString("against the base are unknown")))
                .body("checkpoints[1].behaviour.shareChanged", equalTo(0.1f))
                .body("checkpoints[1].behaviour.stockPhrases", nullValue())
                .body("checkpoints[1].behaviourVsPrevious", nullValue())
                .body("checkpoints[1].missing", hasItem(containsString("No comparison with the previous checkpoint")))
                .body("checkpoints[1].missing", hasItem(containsString("Memorising not judged")))
                .body("checkpoints[1].flags.kind", not(hasItem("memorising")));
    }

    @Test
    void shouldStillAnswerWhenReviewServiceIsDown() {
        stubIngest();
        stubProbeRuns();
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/review/api/verdicts?run=" + RUN))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/" + RUN)
                .then().statusCode(200)
                .body("checkpoints", hasSize(2))
                .body("checkpoints[0].behaviour.probeRunId", notNullValue())
                .body("checkpoints[0].verdict", nullValue())
                .body("missing", hasItem(containsString("review-service")))
                .body("checkpoints[0].missing", hasItem(containsString("review-service")));
    }

    @Test
    void shouldStillAnswerWhenTheAlarmsCallFails() {
        stubIngest();
        stubProbeRuns();
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/ingest/api/runs/" + RUN + "/alarms"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/review/api/verdicts?run=" + RUN))
                .willReturn(okJson(GatewayFixtures.verdictsJson())));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/" + RUN)
                .then().statusCode(200)
                .body("checkpoints", hasSize(2))
                .body("checkpoints[0].verdict.wins", equalTo(6))
                .body("checkpoints[0].alarms", nullValue())
                .body("missing", hasItem(containsString("alarms")));
    }

    @Test
    void shouldStillAnswerWhenProbeRunnerIsSlow() {
        stubIngest();
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/probe-runner/api/probe-runs?run=" + RUN))
                .willReturn(okJson("[]").withFixedDelay(3000)));
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/review/api/verdicts?run=" + RUN))
                .willReturn(okJson("[]")));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/" + RUN)
                .then().statusCode(200)
                .body("missing", hasItem(containsString("probe-runner")))
                .body("checkpoints[0].behaviour", nullValue());
    }

    @Test
    void shouldAnswer404WhenIngestDoesNotKnowTheRun() {
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/ingest/api/runs/" + RUN))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":404}")));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/" + RUN)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldAnswer502WhenIngestIsDown() {
        UpstreamsWireMock.server().stubFor(get(urlEqualTo("/ingest/api/runs/" + RUN))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/rounds/" + RUN)
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("detail", containsString("ingest-service"));
    }

    @Test
    void shouldForbidRoundsWithoutAReadRole() {
        given().auth().oauth2(GatewayFixtures.token("nobody", List.of(), Set.of()))
                .when().get("/api/rounds/" + RUN)
                .then().statusCode(403);
    }

    @Test
    void shouldSendBrowsersToTheLoginWithPkceAndSetTheCsrfCookie() {
        List<String> cookies = given().redirects().follow(false).when().get("/")
                .then().statusCode(302)
                .header("Location", containsString("/realms/quarkus"))
                .header("Location", containsString("code_challenge_method=S256"))
                .cookie("lookout-csrf", notNullValue())
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .extract().headers().getValues("Set-Cookie");
        org.junit.jupiter.api.Assertions.assertTrue(cookies.stream()
                .anyMatch(c -> c.startsWith("lookout-csrf=") && c.contains("SameSite=Strict")
                        && !c.contains("HTTPOnly") && !c.contains("HttpOnly")), cookies::toString);
    }

    @Test
    void shouldAnswer499ToScriptsInsteadOfRedirecting() {
        given().redirects().follow(false).header("X-Requested-With", "JavaScript").when().get("/")
                .then().statusCode(499);
    }

    @Test
    void shouldLeaveHealthOpenButKeepOpenApiAndMetricsForAdmins() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem(startsWith("SmallRye Reactive Messaging")))
                .header("X-Content-Type-Options", "nosniff");
        for (String path : List.of("/q/openapi", "/q/metrics")) {
            given().redirects().follow(false).when().get(path).then().statusCode(401)
                    .contentType("application/problem+json").body("status", equalTo(401));
            given().auth().oauth2(GatewayFixtures.rita()).when().get(path).then().statusCode(403);
            given().auth().oauth2(GatewayFixtures.token("ada", List.of("admin"), Set.of())).when().get(path)
                    .then().statusCode(200);
        }
    }

    @Test
    void shouldServeThePublicSignedOutPage() {
        // the page comes from the Vite build (skipped with -Dskip.ui=true)
        assumeTrue(getClass().getResource("/META-INF/resources/signed-out.html") != null);
        given().when().get("/signed-out.html").then().statusCode(200).contentType(ContentType.HTML)
                .header("Content-Security-Policy", containsString("script-src 'self'"));
    }

    @Test
    void shouldServeTheUiWithoutInlineScriptsToASignedInCaller() {
        assumeTrue(getClass().getResource("/META-INF/resources/index.html") != null);
        String html = given().auth().oauth2(GatewayFixtures.rita()).when().get("/")
                .then().statusCode(200).contentType(ContentType.HTML)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("id=\"app\""));
        org.junit.jupiter.api.Assertions.assertFalse(
                html.replaceAll("<script[^>]*src=\"[^\"]+\"[^>]*></script>", "").contains("<script"),
                "no inline scripts");
        org.junit.jupiter.api.Assertions.assertFalse(html.contains("style="), "no inline styles");
    }
}
