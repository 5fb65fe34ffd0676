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
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
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
                .body("checkpoints[1].step", equalTo(400))
                .body("checkpoints[1].alarms[0].kind", equalTo("too-fast-drop"))
                .body("checkpoints[1].flags[0].kind", equalTo("memorising"))
                .body("checkpoints[1].flags[0].evidence.fromStep", equalTo(250))
                .body("checkpoints[1].loss.trainDelta", equalTo(-0.3f))
                .body("checkpoints[1].behaviour.status", equalTo("running"))
                .body("checkpoints[1].verdict", nullValue())
                .body("checkpoints[1].missing", hasSize(2));
        for (String path : List.of("/ingest/api/runs/" + RUN, "/ingest/api/runs/" + RUN + "/checkpoints",
                "/ingest/api/runs/" + RUN + "/alarms", "/probe-runner/api/probe-runs?run=" + RUN,
                "/review/api/verdicts?run=" + RUN)) {
            UpstreamsWireMock.server().verify(getRequestedFor(urlEqualTo(path))
                    .withHeader("Authorization",
                            com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + token)));
        }
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
    void shouldLeaveHealthOpenApiAndMetricsOpen() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem(startsWith("SmallRye Reactive Messaging")))
                .header("X-Content-Type-Options", "nosniff");
        given().when().get("/q/openapi").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
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
