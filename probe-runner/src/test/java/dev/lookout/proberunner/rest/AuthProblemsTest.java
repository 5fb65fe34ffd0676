package dev.lookout.proberunner.rest;

import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Every refusal is problem+json: no token, a bad or foreign token (refused before any resource runs), a wrong role. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class AuthProblemsTest {

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().get("/api/suites").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401), "title", equalTo("Unauthorized"), "detail", containsString("Bearer"));
    }

    @Test
    void shouldAnswer401ProblemForAGarbageToken() {
        given().auth().oauth2("not-a-token").get("/api/endpoints").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401), "instance", equalTo(null));
    }

    @Test
    void shouldAnswer401ProblemForAForeignAudience() {
        String foreign = Jwt.preferredUserName("eve").claim("realm_access", Map.of("roles", List.of("engineer")))
                .groups("/projects/demo").issuer("https://server.example.com").audience("another-client")
                .expiresIn(600).jws().keyId("1").sign("privateKey.jwk");
        given().auth().oauth2(foreign).get("/api/probe-runs").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
    }

    @Test
    void shouldAnswer403ProblemForAWrongRole() {
        as(viewer()).body(Map.of("maxCallsPerDay", 1)).put("/api/projects/demo/quotas")
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403), "title", equalTo("Forbidden"));
    }
}
