package dev.lookout.review;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.lookout.review.ReviewFixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Every refusal is problem+json: no token, a bad or foreign token (refused before any resource runs), a wrong role. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class AuthProblemsTest {

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().get("/api/verdicts?run=" + UUID.randomUUID()).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401), "title", equalTo("Unauthorized"), "detail", containsString("Bearer"));
    }

    @Test
    void shouldAnswer401ProblemForAGarbageToken() {
        given().auth().oauth2("not-a-token").post("/api/reviews/next?project=demo").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void shouldAnswer401ProblemForAForeignAudience() {
        String foreign = Jwt.preferredUserName("rita").claim("realm_access", Map.of("roles", List.of("reviewer")))
                .groups("/projects/demo").issuer("https://server.example.com").audience("another-client")
                .expiresIn(600).jws().keyId("1").sign("privateKey.jwk");
        given().auth().oauth2(foreign).post("/api/reviews/next?project=demo").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
    }

    @Test
    void shouldAnswer403ProblemForAWrongRole() {
        String project = ReviewFixtures.project();
        as("vic", "viewer", project).post("/api/reviews/next?project=" + project)
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403), "title", equalTo("Forbidden"));
    }
}
