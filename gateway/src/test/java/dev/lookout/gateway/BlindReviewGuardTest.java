package dev.lookout.gateway;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The gateway keeps reviewer-only callers away from comparisons and probe-run outputs that an open review batch
 * covers: it asks review-service (with the caller's token) and answers 404 problem+json when covered, 503 when
 * review-service cannot say; engineers, admins and engineer-reviewers are never checked.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(UpstreamsWireMock.class)
class BlindReviewGuardTest {

    private static final String COVERAGE = "/review/api/review-batches/open-coverage";
    private static final String COVERED = "11111111-1111-4111-8111-111111111111";
    private static final String FREE = "22222222-2222-4222-8222-222222222222";

    @BeforeEach
    void stubUpstreams() {
        UpstreamsWireMock.server().resetAll();
        UpstreamsWireMock.server().stubFor(any(urlPathMatching("/probe-runner/api/.*"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"texts\":\"candidate and baseline\"}")));
        coverage("probeRun", COVERED, 200, "{\"covered\":true}");
        coverage("probeRun", FREE, 200, "{\"covered\":false}");
    }

    private static void coverage(String param, String value, int status, String body) {
        UpstreamsWireMock.server().stubFor(get(urlPathEqualTo(COVERAGE)).withQueryParam(param, WireMock.equalTo(value))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static String reviewer(String... roles) {
        return GatewayFixtures.token("rita", List.of(roles), Set.of("/projects/demo"));
    }

    @Test
    void shouldAnswer404ToAReviewerAskingForCoveredComparisonsOrOutputs() {
        String rita = GatewayFixtures.rita();
        for (String path : List.of("/api/comparisons?probeRun=" + COVERED, "/api/probe-runs/" + COVERED + "/outputs",
                "/api/probe-runs/" + COVERED + ";x=1/outputs", "/api/comparisons/?probeRun=" + COVERED)) {
            given().auth().oauth2(rita).when().get(path)
                    .then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404))
                    .body("detail", containsString("blind review"));
        }
        // a reviewer who is also a viewer is just as blind
        given().auth().oauth2(reviewer("viewer", "reviewer")).when().get("/api/probe-runs/" + COVERED + "/outputs")
                .then().statusCode(404);
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathMatching("/probe-runner/.*")));
        UpstreamsWireMock.server().verify(getRequestedFor(urlEqualTo(COVERAGE + "?probeRun=" + COVERED))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + rita)));
    }

    @Test
    void shouldForwardWhatNoOpenBatchCoversWithTheComparisonsOwnQuery() {
        String rita = GatewayFixtures.rita();
        given().auth().oauth2(rita).when().get("/api/probe-runs/" + FREE + "/outputs")
                .then().statusCode(200).body("texts", equalTo("candidate and baseline"));
        String pair = "suiteVersion=" + FREE + "&candidate=sim%2Fckpt-600&baseline=sim%2Fbase";
        coverage("suiteVersion", FREE, 200, "{\"covered\":false}");
        given().auth().oauth2(rita).urlEncodingEnabled(false).when().get("/api/comparisons?" + pair)
                .then().statusCode(200);
        UpstreamsWireMock.server().verify(getRequestedFor(urlEqualTo(COVERAGE + "?" + pair)));
        UpstreamsWireMock.server().verify(getRequestedFor(urlEqualTo("/probe-runner/api/comparisons?" + pair)));
        // the probe run itself (no texts) is not checked
        given().auth().oauth2(rita).when().get("/api/probe-runs/" + COVERED).then().statusCode(200);
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlEqualTo(COVERAGE + "?probeRun=" + COVERED)));
    }

    @Test
    void shouldFailClosedWhenReviewServiceCannotSay() {
        String rita = GatewayFixtures.rita();
        String broken = "33333333-3333-4333-8333-333333333333";
        coverage("probeRun", broken, 500, "{}");
        given().auth().oauth2(rita).when().get("/api/comparisons?probeRun=" + broken)
                .then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("review-service"));
        // a refusal (422: no probe run or pair given) is not a "no"
        UpstreamsWireMock.server().stubFor(get(urlEqualTo(COVERAGE)).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":422}")));
        given().auth().oauth2(rita).when().get("/api/comparisons").then().statusCode(404);
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathMatching("/probe-runner/.*")));
    }

    @Test
    void shouldNeverCheckEngineersAdminsOrEngineerReviewers() {
        for (String token : List.of(GatewayFixtures.eve(), reviewer("admin"), reviewer("engineer", "reviewer"),
                reviewer("viewer"))) {
            given().auth().oauth2(token).when().get("/api/comparisons?probeRun=" + COVERED).then().statusCode(200);
            given().auth().oauth2(token).when().get("/api/probe-runs/" + COVERED + "/outputs").then().statusCode(200);
        }
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathEqualTo(COVERAGE)));
    }
}
