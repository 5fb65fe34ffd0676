package dev.lookout.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Attacks on the gateway's edge: foreign-audience tokens, anonymous metrics, upstream addresses, stream floods. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(UpstreamsWireMock.class)
class EdgeSecurityTest {

    private static final int STREAM_LIMIT = 5;

    @TestHTTPResource("/")
    URL base;

    private final List<InputStream> openStreams = new ArrayList<>();

    @BeforeEach
    void stubUpstreams() {
        UpstreamsWireMock.server().resetAll();
        UpstreamsWireMock.server().stubFor(any(urlPathMatching("/ingest/api/.*"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
    }

    @AfterEach
    void closeStreams() throws IOException {
        for (InputStream stream : openStreams) {
            stream.close();
        }
        openStreams.clear();
    }

    @Test
    void shouldRefuseATokenMintedForAnotherAudienceWithProblemJson() {
        String foreign = GatewayFixtures.token("eve", List.of("engineer"), Set.of("/projects/demo"), "another-client");
        for (String path : List.of("/api/runs", "/api/me")) {
            given().auth().oauth2(foreign).redirects().follow(false).when().get(path)
                    .then().statusCode(401).contentType("application/problem+json")
                    .body("status", equalTo(401)).body("detail", containsString("audience"));
        }
        UpstreamsWireMock.server().verify(0, anyRequestedFor(urlPathMatching("/ingest/.*")));
        given().auth().oauth2(GatewayFixtures.eve()).when().get("/api/runs").then().statusCode(200);
    }

    @Test
    void shouldNotReachMetricsThroughTraversalPaths() {
        for (String path : List.of("/api/runs/%2e%2e/%2e%2e/q/metrics", "/api/runs/..%2f..%2fq%2fmetrics")) {
            given().urlEncodingEnabled(false).redirects().follow(false).when().get(path)
                    .then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void shouldRewriteAnUpstreamLocationToTheGatewaysOwnPath() {
        String upstream = "http://127.0.0.1:" + UpstreamsWireMock.server().port(); // the address the gateway calls
        UpstreamsWireMock.server().stubFor(post(urlPathEqualTo("/ingest/api/runs")).willReturn(aResponse().withStatus(201)
                .withHeader("Location", upstream + "/ingest/api/runs/r-1?view=full")
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"r-1\"}")));
        given().auth().oauth2(GatewayFixtures.eve()).contentType("application/json").body("{}")
                .when().post("/api/runs")
                .then().statusCode(201).header("Location", "/api/runs/r-1?view=full");
    }

    @Test
    void shouldRefuseTheSixthLiveStreamOfOneUserWith429AndFreeTheSlotOnClose() throws Exception {
        String token = GatewayFixtures.rita();
        for (int i = 0; i < STREAM_LIMIT; i++) {
            HttpResponse<InputStream> open = openLive(token);
            assertEquals(200, open.statusCode(), "stream " + (i + 1));
            openStreams.add(open.body());
        }
        HttpResponse<InputStream> refused = openLive(token);
        assertEquals(429, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        String body = new String(refused.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("\"status\":429"), body);

        HttpResponse<InputStream> otherUser = openLive(GatewayFixtures.eve());
        assertEquals(200, otherUser.statusCode(), "another user's streams are counted apart");
        openStreams.add(otherUser.body());

        openStreams.remove(0).close();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<InputStream> again = openLive(token);
            if (again.statusCode() == 200) {
                openStreams.add(again.body());
                return true;
            }
            again.body().close();
            return false;
        });
    }

    private HttpResponse<InputStream> openLive(String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve("/api/live"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
