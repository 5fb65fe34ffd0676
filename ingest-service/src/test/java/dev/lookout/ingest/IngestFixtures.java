package dev.lookout.ingest;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Signed tokens for the test OIDC server and small request helpers shared by the @QuarkusTest classes. */
public final class IngestFixtures {

    public static final String DEMO = "demo";
    public static final String OTHER = "other";

    private IngestFixtures() {
    }

    public static String token(String user, List<String> roles, Set<String> groups) {
        return Jwt.preferredUserName(user)
                .claim("realm_access", Map.of("roles", roles))
                .groups(groups)
                .issuer("https://server.example.com")
                .audience("https://service.example.com")
                .expiresIn(600)
                .jws().keyId("1")
                .sign("privateKey.jwk");
    }

    public static String eve() {
        return token("eve", List.of("engineer"), Set.of("/projects/demo"));
    }

    public static String vic() {
        return token("vic", List.of("viewer"), Set.of("/projects/demo"));
    }

    public static String otto() {
        return token("otto", List.of("engineer", "reviewer"), Set.of("/projects/other"));
    }

    public static String ada() {
        return token("ada", List.of("admin"), Set.of("/projects/demo"));
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> runBody(String project, String name) {
        return Map.of("project", project, "name", name, "labels", Map.of("method", "lora"),
                "baseline", Map.of("endpoint", "vllm-local", "model", "qwen2.5-7b"), "suite", "smoke");
    }

    /** Creates a run as eve in demo and returns its id. */
    public static String createRun() {
        return as(eve()).contentType(ContentType.JSON).body(runBody(DEMO, uniqueName("run")))
                .post("/api/runs").then().statusCode(201).extract().path("id");
    }
}
