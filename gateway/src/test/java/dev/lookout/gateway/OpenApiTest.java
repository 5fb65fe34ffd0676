package dev.lookout.gateway;

import dev.lookout.gateway.security.SecurityHeaders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/openapi: the backends' documents (WireMock) merged with the gateway's own. The incomplete case runs first:
 * it is never cached, while the complete document of the later tests is.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(UpstreamsWireMock.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiTest {

    private static final String TARGET = """
            {"type":"object","properties":{"endpoint":{"type":"string"},"model":{"type":"string"}}}""";
    private static final String OTHER_TARGET = """
            {"type":"object","properties":{"url":{"type":"string"}}}""";

    @BeforeEach
    void reset() {
        UpstreamsWireMock.server().resetAll();
    }

    @Test
    @Order(1)
    void shouldServeWhatIsAvailableAndNameTheMissingBackend() {
        stubIngest();
        stubProbeRunner();
        UpstreamsWireMock.server().stubFor(get(urlPathEqualTo("/review/q/openapi"))
                .willReturn(aResponse().withStatus(503)));

        JsonPath doc = given().auth().oauth2(GatewayFixtures.eve()).get("/api/openapi")
                .then().statusCode(200).contentType("application/json").extract().jsonPath();

        assertTrue(doc.getString("info.description").contains("review-service"), doc.getString("info.description"));
        Map<String, Object> paths = doc.getMap("paths");
        assertTrue(paths.containsKey("/api/runs"), paths.keySet().toString());
        assertFalse(paths.containsKey("/api/verdicts"), paths.keySet().toString());
    }

    @Test
    @Order(2)
    void shouldMergeEveryRoutedPathOfEachBackendAndNothingElse() {
        stubAll();

        JsonPath doc = given().auth().oauth2(GatewayFixtures.rita()).get("/api/openapi")
                .then().statusCode(200).contentType("application/json").extract().jsonPath();

        Set<String> paths = doc.getMap("paths").keySet().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(Set.of("/api/me", "/api/rounds/{run}", "/api/live", "/api/openapi",
                "/api/runs", "/api/runs/{run}", "/api/projects/{key}/alarm-thresholds",
                "/api/suites", "/api/endpoints", "/api/probe-runs", "/api/comparisons",
                "/api/projects/{key}/quotas", "/api/projects/{key}/comparison-settings",
                "/api/projects/{project}/webhooks", "/api/projects/{project}/webhooks/{id}/deliveries",
                "/api/reviews/next", "/api/review-batches", "/api/verdicts", "/api/exports/preferences"), paths);
        assertFalse(doc.getString("info.description").contains("INCOMPLETE"));
        assertEquals("3.", doc.getString("openapi").substring(0, 2));
        assertTrue(doc.getString("servers[0].url").startsWith("http://"), doc.getString("servers[0].url"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertTrue(doc.getString("components.securitySchemes.keycloak.flows.clientCredentials.tokenUrl")
                .endsWith("/protocol/openid-connect/token"));
        assertEquals(2, doc.getList("security").size());
    }

    @Test
    @Order(3)
    void shouldRenameAClashingSchemaAndItsReferences() {
        stubAll();

        JsonPath doc = given().auth().oauth2(GatewayFixtures.eve()).get("/api/openapi")
                .then().statusCode(200).extract().jsonPath();

        // ingest's Target came first; review's is identical (shared), probe-runner's differs (renamed).
        assertEquals(Map.of("endpoint", Map.of("type", "string"), "model", Map.of("type", "string")),
                doc.getMap("components.schemas.Target.properties"));
        assertEquals(Map.of("url", Map.of("type", "string")),
                doc.getMap("components.schemas.ProbeRunnerTarget.properties"));
        assertEquals("#/components/schemas/ProbeRunnerTarget", doc.getString(
                "paths.'/api/endpoints'.get.responses.'200'.content.'application/json'.schema.$ref"));
        assertEquals("#/components/schemas/Target", doc.getString(
                "paths.'/api/runs'.get.responses.'200'.content.'application/json'.schema.$ref"));
        assertEquals("#/components/schemas/Target", doc.getString(
                "paths.'/api/verdicts'.get.responses.'200'.content.'application/json'.schema.$ref"));
    }

    @Test
    @Order(4)
    void shouldServeTheCachedCompleteDocumentAndYamlOnRequest() {
        // no stubs now: the complete document of the previous tests is still served
        given().auth().oauth2(GatewayFixtures.eve()).queryParam("format", "yaml").get("/api/openapi")
                .then().statusCode(200).contentType(containsString("yaml"))
                .body(containsString("/api/probe-runs:"), containsString("ProbeRunnerTarget:"),
                        not(containsString("/q/")));
        UpstreamsWireMock.server().verify(0, getRequestedFor(urlPathEqualTo("/ingest/q/openapi")));
    }

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().get("/api/openapi")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void shouldRefuseAnUnknownFormat() {
        given().auth().oauth2(GatewayFixtures.eve()).queryParam("format", "xml").get("/api/openapi")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("format"), "$", hasKey("status"));
    }

    @Test
    void shouldServeSwaggerUiOfTheMergedDocumentToSignedInCallersOnly() {
        given().auth().oauth2(GatewayFixtures.rita()).get("/docs/")
                .then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", equalTo(SecurityHeaders.DOCS_CSP))
                .body(containsString("/api/openapi"));
        given().redirects().follow(false).accept("text/html").get("/docs/")
                .then().statusCode(302).header("Location", containsString("response_type=code"));
    }

    private static void stubAll() {
        stubIngest();
        stubProbeRunner();
        stub("/review", "/api/reviews/next", "/api/review-batches", "/api/verdicts", "/api/exports/preferences",
                "/api/internal/recount", "/q/health");
    }

    private static void stubIngest() {
        stub("/ingest", "/api/runs", "/api/runs/{run}", "/api/projects/{key}/alarm-thresholds", "/q/metrics",
                "/api/projects/{key}/quotas");
    }

    private static void stubProbeRunner() {
        stub("/probe-runner", "/api/suites", "/api/endpoints", "/api/probe-runs", "/api/comparisons",
                "/api/projects/{key}/quotas", "/api/projects/{key}/comparison-settings", "/api/runs/{run}",
                "/api/projects/{project}/webhooks", "/api/projects/{project}/webhooks/{id}/deliveries", "/q/openapi");
    }

    /** A backend document with these paths, each GET answering a Target; probe-runner's Target differs. */
    private static void stub(String base, String... paths) {
        StringBuilder body = new StringBuilder("{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"").append(base)
                .append("\",\"version\":\"1\"},\"paths\":{");
        List<String> items = java.util.Arrays.stream(paths).map(p -> "\"" + p + "\":{\"get\":{\"responses\":{\"200\":"
                + "{\"description\":\"OK\",\"content\":{\"application/json\":{\"schema\":"
                + "{\"$ref\":\"#/components/schemas/Target\"}}}}},\"security\":[{\"SecurityScheme\":[]}]}}").toList();
        body.append(String.join(",", items)).append("},\"components\":{\"schemas\":{\"Target\":")
                .append(base.equals("/probe-runner") ? OTHER_TARGET : TARGET)
                .append("},\"securitySchemes\":{\"SecurityScheme\":{\"type\":\"openIdConnect\"}}}}");
        UpstreamsWireMock.server().stubFor(get(urlPathEqualTo(base + "/q/openapi"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(body.toString())));
    }
}
