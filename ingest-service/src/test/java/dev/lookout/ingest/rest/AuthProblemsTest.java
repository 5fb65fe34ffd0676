package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.lookout.ingest.IngestFixtures.DEMO;
import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.runBody;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static dev.lookout.ingest.IngestFixtures.vic;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Every refusal is problem+json: no token, a bad or foreign token (refused before any resource runs), a wrong role. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class AuthProblemsTest {

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().get("/api/runs").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401), "title", equalTo("Unauthorized"), "detail", containsString("Bearer"));
    }

    @Test
    void shouldAnswer401ProblemForAGarbageToken() {
        given().auth().oauth2("not-a-token").get("/api/runs").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401), "type", equalTo("https://lookout.dev/problems/unauthorized"));
    }

    @Test
    void shouldAnswer401ProblemForAForeignAudience() {
        String foreign = Jwt.preferredUserName("eve").claim("realm_access", Map.of("roles", List.of("engineer")))
                .groups("/projects/demo").issuer("https://server.example.com").audience("another-client")
                .expiresIn(600).jws().keyId("1").sign("privateKey.jwk");
        given().auth().oauth2(foreign).contentType(ContentType.JSON).body(runBody(DEMO, uniqueName("aud")))
                .post("/api/runs").then().statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401));
    }

    @Test
    void shouldAnswer403ProblemForAWrongRole() {
        as(vic()).contentType(ContentType.JSON).body(runBody(DEMO, uniqueName("role"))).post("/api/runs")
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403), "title", equalTo("Forbidden"));
    }
}
