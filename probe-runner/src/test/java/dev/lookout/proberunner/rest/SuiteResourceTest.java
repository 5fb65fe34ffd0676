package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.otherProjectEngineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SuiteResourceTest {

    @Test
    void shouldCreateNewImmutableVersionOnlyWhenContentChanges() {
        String name = unique("suite");
        List<Map<String, Object>> v1 = probes(3, "");
        String versionId = as(engineer()).body(Map.of("project", PROJECT, "name", name, "probes", v1))
                .post("/api/suites").then().statusCode(201)
                .body("version", is(1)).body("probes.size()", is(3)).body("probes[0].id", is("p0"))
                .extract().path("versionId");
        String suiteId = as(engineer()).body(Map.of("project", PROJECT, "name", name, "probes", v1))
                .post("/api/suites").then().statusCode(200)
                .body("version", is(1)).body("versionId", equalTo(versionId)).extract().path("id");
        as(engineer()).body(Map.of("project", PROJECT, "name", name, "probes", probes(4, "")))
                .post("/api/suites").then().statusCode(201)
                .body("version", is(2)).body("versionId", not(equalTo(versionId))).body("id", equalTo(suiteId));
        as(viewer()).get("/api/suites/" + suiteId).then().statusCode(200).body("version", is(2))
                .body("probes.size()", is(4));
        as(viewer()).get("/api/suites?project=demo").then().statusCode(200).body("id", hasItem(suiteId));
        as(otherProjectEngineer()).get("/api/suites/" + suiteId).then().statusCode(404);
        as(otherProjectEngineer()).get("/api/suites").then().statusCode(200).body("id", not(hasItem(suiteId)));
    }

    @Test
    void shouldAcceptYaml() {
        String name = unique("yaml");
        String yaml = """
                project: demo
                name: %s
                probes:
                  - id: refund
                    tags: [caution]
                    messages:
                      - role: system
                        content: You are a support agent.
                      - role: user
                        content: 退款多久能到账？
                    checks:
                      - type: contains
                        value: 天
                  - id: capital
                    messages:
                      - {role: user, content: "What is the capital of Australia?"}
                    reference: Canberra
                """.formatted(name);
        given().auth().oauth2(engineer()).contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/suites")
                .then().statusCode(201).body("version", is(1)).body("probes[0].messages[1].content", is("退款多久能到账？"))
                .body("probes[1].reference", is("Canberra")).body("probes[0].checks[0].type", is("contains"));
        given().auth().oauth2(engineer()).contentType("application/yaml").body("project: demo\nname: [unclosed\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/suites").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("line"));
    }

    @Test
    void shouldRejectInvalidSuitesWithWhere() {
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("bad"), "probes", List.of(
                Map.of("id", "a", "messages", List.of(Map.of("role", "user", "content", "hi"))),
                Map.of("id", "a", "messages", List.of(Map.of("role", "user", "content", "again"))))))
                .post("/api/suites").then().statusCode(422).body("errors[0].field", is("probes[1].id"));
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("bad"), "probes", List.of(
                Map.of("id", "a", "messages", List.of(Map.of("role", "robot", "content", "hi"))))))
                .post("/api/suites").then().statusCode(400).body("errors[0].field", is("probes[0].messages[0].role"));
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("bad"), "probes", List.of()))
                .post("/api/suites").then().statusCode(400).body("errors[0].field", is("probes"));
    }
}
