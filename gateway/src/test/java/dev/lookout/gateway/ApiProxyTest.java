package dev.lookout.gateway;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(UpstreamsWireMock.class)
class ApiProxyTest {

    /** gateway path → the upstream prefix that must receive it. */
    private static final Map<String, String> ROUTES = Map.ofEntries(
            Map.entry("/api/runs", "/ingest"),
            Map.entry("/api/runs/r1/series", "/ingest"),
            Map.entry("/api/suites", "/probe-runner"),
            Map.entry("/api/endpoints/e1/health", "/probe-runner"),
            Map.entry("/api/probe-runs/p1/outputs", "/probe-runner"),
            Map.entry("/api/comparisons", "/probe-runner"),
            Map.entry("/api/reviews/next", "/review"),
            Map.entry("/api/review-batches", "/review"),
            Map.entry("/api/verdicts", "/review"),
            Map.entry("/api/exports/preferences", "/review"),
            Map.entry("/api/projects/demo/alarm-thresholds", "/ingest"),
            Map.entry("/api/projects/demo/comparison-settings", "/probe-runner"));

    @BeforeEach
    void stubUpstreams() {
        UpstreamsWireMock.server().resetAll();
        for (String upstream : new String[] {"/ingest", "/probe-runner", "/review"}) {
            UpstreamsWireMock.server().stubFor(any(urlPathMatching(upstream + "/api/.*"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withHeader("Set-Cookie", "upstream=leak").withHeader("Next-Cursor", "c1")
                            .withHeader("Link", "</api/runs?limit=100&after=c1>; rel=\"next\"").withBody("{\"via\":\"" + upstream + "\"}")));
        }
    }

    @Test
    void shouldRouteEveryResourceToItsOwnerWithTheCallersBearerTokenAndNoCookie() {
        String token = GatewayFixtures.eve();
        ROUTES.forEach((path, upstream) -> {
            given().auth().oauth2(token).cookie("JSESSIONID", "abc").queryParam("project", "demo")
                    .when().get(path)
                    .then().statusCode(200)
                    .body("via", equalTo(upstream))
                    .header("Set-Cookie", nullValue())
                    .header("X-Content-Type-Options", "nosniff")
                    // ingest's paging cursor reaches the browser
                    .header("Next-Cursor", "c1")
                    .header("Link", containsString("after=c1"));
            UpstreamsWireMock.server().verify(getRequestedFor(urlEqualTo(upstream + path + "?project=demo"))
                    .withHeader("Authorization", WireMock.equalTo("Bearer " + token))
                    .withHeader("Cookie", absent()));
        });
    }

    @Test
    void shouldStreamARequestBodyUnchanged() {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(body);
        given().auth().oauth2(GatewayFixtures.eve()).contentType("application/octet-stream").body(body)
                .when().post("/api/runs/r1/logs?format=auto")
                .then().statusCode(200).body("via", equalTo("/ingest"));
        UpstreamsWireMock.server().verify(postRequestedFor(urlEqualTo("/ingest/api/runs/r1/logs?format=auto"))
                .withRequestBody(binaryEqualTo(body)));
    }

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().when().get("/api/runs")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .header("Content-Security-Policy", containsString("script-src 'self'"));
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void shouldAnswer401ForAnInvalidToken() {
        given().auth().oauth2("not-a-token").when().get("/api/runs").then().statusCode(401);
    }

    @Test
    void shouldRequireCsrfHeaderForCookieSessionWrites() {
        given().cookie("q_session", "some-session").contentType("application/json").body("{}")
                .when().post("/api/runs")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("X-CSRF-Token"));
        given().cookie("q_session", "some-session").cookie("lookout-csrf", "0123456789abcdef0123")
                .header("X-CSRF-Token", "not-the-same-value-at-all").contentType("application/json").body("{}")
                .when().post("/api/reviews/t1/vote")
                .then().statusCode(403);
        // leasing a task is a write too: a page on another site cannot make the browser take one
        given().cookie("q_session", "some-session").when().post("/api/reviews/next?project=demo")
                .then().statusCode(403).contentType("application/problem+json");
        UpstreamsWireMock.server().verify(0, postRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void shouldNotRequireCsrfHeaderForBearerWrites() {
        given().auth().oauth2(GatewayFixtures.rita()).contentType("application/json").body("{\"choice\":\"A\"}")
                .when().post("/api/reviews/t1/vote")
                .then().statusCode(200).body("via", equalTo("/review"));
        UpstreamsWireMock.server().verify(postRequestedFor(urlEqualTo("/review/api/reviews/t1/vote"))
                .withRequestBody(WireMock.equalToJson("{\"choice\":\"A\"}")));
    }

    @Test
    void shouldSay502AndNameTheServiceWhenUpstreamFails() {
        UpstreamsWireMock.server().stubFor(any(urlPathMatching("/review/api/verdicts.*"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/verdicts?run=x")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("detail", containsString("review-service"));
    }

    @Test
    void shouldPassUpstreamStatusAndProblemThrough() {
        UpstreamsWireMock.server().stubFor(any(urlPathMatching("/ingest/api/runs/missing"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":404,\"title\":\"Not Found\",\"detail\":\"run not found\"}")));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/runs/missing")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("run not found"))
                .header("X-Frame-Options", "DENY");
    }

    @Test
    void shouldForwardProjectSettingsWritesToTheirOwners() {
        String token = GatewayFixtures.eve();
        given().auth().oauth2(token).contentType("application/json").body("{\"semanticSimilarity\":true}")
                .when().put("/api/projects/demo/comparison-settings")
                .then().statusCode(200).body("via", equalTo("/probe-runner"));
        UpstreamsWireMock.server().verify(WireMock.putRequestedFor(urlEqualTo("/probe-runner/api/projects/demo/comparison-settings"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + token))
                .withRequestBody(WireMock.equalToJson("{\"semanticSimilarity\":true}")));
        given().auth().oauth2(token).contentType("application/json").body("{\"spike\":{\"threshold\":8}}")
                .when().put("/api/projects/demo/alarm-thresholds")
                .then().statusCode(200).body("via", equalTo("/ingest"));
        UpstreamsWireMock.server().verify(WireMock.putRequestedFor(urlEqualTo("/ingest/api/projects/demo/alarm-thresholds")));
        given().auth().oauth2(token).contentType("application/json").body("{\"baseline\":{\"endpoint\":\"vllm\",\"model\":\"m\"}}")
                .when().put("/api/projects/demo/runs/sft-v3")
                .then().statusCode(200).body("via", equalTo("/ingest"));
        UpstreamsWireMock.server().verify(WireMock.putRequestedFor(urlEqualTo("/ingest/api/projects/demo/runs/sft-v3")));
    }

    @Test
    void shouldAnswer404ProblemForAnythingElseUnderProjects() {
        for (String path : new String[] {"/api/projects", "/api/projects/demo", "/api/projects/demo/runs",
                "/api/projects/demo/alarm-thresholds/extra"}) {
            given().auth().oauth2(GatewayFixtures.eve()).when().get(path)
                    .then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404))
                    .body("detail", containsString("alarm-thresholds"));
        }
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void shouldForwardTheWithdrawalOfAVoteWithTheCsrfHeaderChecked() {
        UpstreamsWireMock.server().stubFor(WireMock.delete(urlEqualTo("/review/api/reviews/t1/vote"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"taskId\":\"t1\",\"previousVote\":{\"choice\":\"A\"}}")));
        given().cookie("q_session", "some-session").when().delete("/api/reviews/t1/vote")
                .then().statusCode(403).contentType("application/problem+json");
        UpstreamsWireMock.server().verify(0, WireMock.deleteRequestedFor(urlPathMatching(".*")));
        given().auth().oauth2(GatewayFixtures.rita()).when().delete("/api/reviews/t1/vote")
                .then().statusCode(200).body("previousVote.choice", equalTo("A"));
        UpstreamsWireMock.server().verify(WireMock.deleteRequestedFor(urlEqualTo("/review/api/reviews/t1/vote")));
    }

    @Test
    void shouldNotProxyUnknownApiPaths() {
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/nothing-here")
                .then().statusCode(404);
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathMatching(".*")));
    }
}
