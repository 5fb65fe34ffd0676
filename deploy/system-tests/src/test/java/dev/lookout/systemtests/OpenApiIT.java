package dev.lookout.systemtests;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The gateway's merged API description, fetched from the real backends, and problem+json refusals on every service.
 */
@ExtendWith(SystemExtension.class)
class OpenApiIT {

    /** Every prefix the gateway routes (the gateway's RouteTable) and its own endpoints. */
    private static final List<String> ROUTED_PREFIXES = List.of("/api/runs", "/api/suites", "/api/endpoints",
            "/api/probe-runs", "/api/comparisons", "/api/reviews", "/api/review-batches", "/api/verdicts",
            "/api/exports");

    @Test
    void oneDocumentListsEveryPublicPathOfTheFourServicesAndNoOperatorPage() {
        JsonPath doc = Api.gateway(Api.trainingJobToken()).when().get("/api/openapi")
                .then().statusCode(200).contentType(containsString("json")).extract().jsonPath();

        Set<String> paths = doc.getMap("paths").keySet().stream().map(Object::toString).collect(Collectors.toSet());
        for (String exact : List.of("/api/runs", "/api/suites", "/api/endpoints", "/api/probe-runs",
                "/api/reviews/next", "/api/verdicts", "/api/me", "/api/live")) {
            assertTrue(paths.contains(exact), exact + " missing from " + paths);
        }
        for (String prefix : ROUTED_PREFIXES) {
            assertTrue(paths.stream().anyMatch(p -> p.startsWith(prefix)), prefix + " missing from " + paths);
        }
        assertTrue(paths.stream().anyMatch(p -> p.matches("/api/rounds/\\{[^}]+}")), paths.toString());
        for (String setting : List.of("alarm-thresholds", "comparison-settings", "quotas")) {
            assertTrue(paths.stream().anyMatch(p -> p.matches("/api/projects/\\{[^}]+}/" + setting)),
                    setting + " missing from " + paths);
        }
        assertEquals(Set.of(), paths.stream().filter(p -> !p.startsWith("/api/")).collect(Collectors.toSet()));
        assertFalse(doc.getString("info.description").contains("INCOMPLETE"), doc.getString("info.description"));
        assertTrue(doc.getString("components.securitySchemes.keycloak.flows.clientCredentials.tokenUrl")
                .startsWith("http://127.0.0.1:" + Ports.KEYCLOAK + "/realms/lookout/"));
        Map<String, Object> schemas = doc.getMap("components.schemas");
        assertFalse(schemas.isEmpty());
    }

    @Test
    void withoutATokenTheDocumentIs401Problem() {
        Api.anonymous().when().get("/api/openapi").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void eachBackendAnswersAGarbageTokenWith401Problem() {
        Map<Integer, String> paths = Map.of(Ports.INGEST, "/api/runs", Ports.PROBE_RUNNER, "/api/suites",
                Ports.REVIEW, "/api/verdicts?run=6a1f2f0e-0000-4000-8000-000000000001");
        paths.forEach((port, path) -> RestAssured.given().baseUri("http://127.0.0.1:" + port)
                .header("Authorization", "Bearer garbage.garbage.garbage").when().get(path)
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer")).body("status", equalTo(401)));
        paths.forEach((port, path) -> RestAssured.given().baseUri("http://127.0.0.1:" + port).when().get(path)
                .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401)));
    }

    @Test
    void aViewerGets403ProblemFromABackendDirectly() {
        RestAssured.given().baseUri("http://127.0.0.1:" + Ports.REVIEW)
                .header("Authorization", "Bearer " + Api.userToken("vic")).queryParam("project", "demo")
                .when().post("/api/reviews/next").then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403));
    }
}
