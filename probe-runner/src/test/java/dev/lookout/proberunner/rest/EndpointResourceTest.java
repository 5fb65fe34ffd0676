package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.otherProjectEngineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.serviceAccount;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import javax.sql.DataSource;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class EndpointResourceTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    @Inject
    DataSource dataSource;

    @Test
    void shouldRefuseHostsOutsideTheAllowlistWith422() {
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("evil"), "baseUrl", "http://169.254.169.254/latest"))
                .post("/api/endpoints")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("status", is(422)).body("errors[0].field", is("baseUrl"))
                .body("detail", containsString("allowlist"));
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("ftp"), "baseUrl", "ftp://127.0.0.1/"))
                .post("/api/endpoints").then().statusCode(422);
    }

    @Test
    void shouldStoreApiKeyEncryptedAndNeverReturnIt() throws Exception {
        String name = unique("keyed");
        String secret = "sk-test-" + name;
        String id = as(engineer()).body(Map.of("project", PROJECT, "name", name, "baseUrl", simulatorUrl + "/v1/",
                "apiKey", secret, "extraBody", Map.of("chat_template_kwargs", Map.of("enable_thinking", false))))
                .post("/api/endpoints")
                .then().statusCode(201)
                .body("hasApiKey", is(true)).body("$", not(hasKey("apiKey")))
                .body("baseUrl", equalTo(simulatorUrl))
                .body("maxConcurrency", is(4)).body("timeoutMs", is(60000))
                .body("params.temperature", is(0.0f)).body("params.top_p", is(1.0f))
                .body("extraBody.chat_template_kwargs.enable_thinking", is(false))
                .extract().path("id");
        String stored;
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement("select api_key_enc from probes.endpoints where id = ?::uuid")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                stored = rs.getString(1);
            }
        }
        assertTrue(stored != null && !stored.contains(secret));
        String body = as(viewer()).get("/api/endpoints/" + id).then().statusCode(200).extract().asString();
        assertTrue(!body.contains(secret));
    }

    @Test
    void shouldRejectDuplicateNamesAndBadInput() {
        String name = unique("dup");
        createEndpoint(name, simulatorUrl, 2);
        as(engineer()).body(Map.of("project", PROJECT, "name", name, "baseUrl", simulatorUrl))
                .post("/api/endpoints").then().statusCode(409).contentType(startsWith("application/problem+json"));
        as(engineer()).body(Map.of("project", PROJECT, "name", "has/slash", "baseUrl", simulatorUrl,
                "maxConcurrency", 0)).post("/api/endpoints")
                .then().statusCode(400).body("errors.field", hasItem("name")).body("errors.field", hasItem("maxConcurrency"));
        as(engineer()).body("{\"project\": \"demo\", \"name\": ").post("/api/endpoints")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("line")).body("detail", not(containsString("com.fasterxml")));
        as(engineer()).body("{\"project\": \"demo\", \"name\": \"x\", \"baseUrl\": \"http://127.0.0.1\", \"maxConcurrency\": \"many\"}")
                .post("/api/endpoints").then().statusCode(400).body("errors[0].field", is("maxConcurrency"));
    }

    @Test
    void shouldAskModelsForHealth() {
        String id = createEndpoint(unique("health"), simulatorUrl, 2).getString("id");
        as(viewer()).get("/api/endpoints/" + id + "/health").then().statusCode(200)
                .body("status", is("up")).body("models", hasItem("demo-base"));
        String down = createEndpoint(unique("down"), "http://127.0.0.1:9", 1).getString("id");
        as(viewer()).get("/api/endpoints/" + down + "/health").then().statusCode(200).body("status", is("down"));
    }

    @Test
    void shouldEnforceRolesAndProjects() {
        String id = createEndpoint(unique("iso"), simulatorUrl, 2).getString("id");
        given().get("/api/endpoints").then().statusCode(401);
        as(viewer()).body(Map.of("project", PROJECT, "name", unique("v"), "baseUrl", simulatorUrl))
                .post("/api/endpoints").then().statusCode(403);
        as(otherProjectEngineer()).get("/api/endpoints/" + id).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        as(otherProjectEngineer()).get("/api/endpoints?project=demo").then().statusCode(200).body("size()", is(0));
        as(otherProjectEngineer()).body(Map.of("project", PROJECT, "name", unique("o"), "baseUrl", simulatorUrl))
                .post("/api/endpoints").then().statusCode(404).body("detail", containsString("project not found"));
        as(serviceAccount()).get("/api/endpoints/" + id).then().statusCode(200);
        as(viewer()).get("/api/endpoints").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void shouldServeOpenApiMetricsAndReadinessWithoutToken() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/probe-runs"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("Database connections health check"))
                .body(containsString("Reactive Messaging"));
    }
}
