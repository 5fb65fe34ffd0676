package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.simulator.SchemaBait;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;

/** What an attacker can put in a check: schemas that would fetch, regexes that would backtrack for hours. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class AttackChecksTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    private static Map<String, Object> probe(String id, List<Map<String, Object>> checks) {
        return Map.of("id", id, "messages", List.of(Map.of("role", "user", "content", "Answer in JSON.")),
                "checks", checks);
    }

    @Test
    void shouldRefuseEverySchemaThatReachesOutAndNeverCallTheListener() throws Exception {
        try (SchemaBait listener = new SchemaBait()) {
            List<Map<String, Object>> hostile = new ArrayList<>(List.of(
                    Map.of("type", "json-schema", "value", Map.of("$ref", listener.url("/ref.json"))),
                    Map.of("type", "json-schema", "value", Map.of("$ref", listener.url("/redirect"))),
                    Map.of("type", "json-schema", "value", Map.of("$schema", listener.url("/meta"))),
                    Map.of("type", "json-schema", "value", Map.of("$id", listener.url("/base/"), "type", "object",
                            "properties", Map.of("a", Map.of("$ref", "a.json")))),
                    Map.of("type", "json-schema", "value", Map.of("$ref", "file:///etc/passwd")),
                    Map.of("type", "json-schema", "value", Map.of("$ref", "file:///no/such/file.json")),
                    Map.of("type", "is-json", "value", Map.of("items", Map.of("$ref", listener.url("/item.json")))),
                    Map.of("type", "not-json-schema", "value", "{\"$dynamicRef\": \"" + listener.url("/d") + "\"}")));
            for (Map<String, Object> check : hostile) {
                String name = unique("hostile");
                as(engineer()).body(Map.of("project", PROJECT, "name", name, "probes", List.of(probe("structured",
                        List.of(Map.of("type", "contains", "value", "{"), check)))))
                        .post("/api/suites").then().statusCode(422)
                        .contentType(startsWith("application/problem+json"))
                        .body("errors[0].field", is("probes[0].checks[1]"))
                        .body("errors[0].message", allOf(containsString("probe 'structured', check 1"),
                                containsString("invalid JSON schema")))
                        .body("detail", anyOf(containsString("nothing is fetched"), containsString("stands alone")));
                as(viewer()).get("/api/suites?project=" + PROJECT).then().statusCode(200)
                        .body("name", not(hasItem(name)));
            }
            assertEquals(List.of(), listener.hits(), "probe-runner must never fetch a schema");
        }
    }

    @Test
    void shouldAnswerAPredictionsImportWithTheBacktrackingRegexPromptly() {
        String endpoint = unique("offline");
        createEndpoint(endpoint, simulatorUrl, 1);
        String suite = unique("redos");
        as(engineer()).body(Map.of("project", PROJECT, "name", suite, "probes", List.of(
                probe("evil", List.of(Map.of("type", "regex", "value", "(.*a){5}x"),
                        Map.of("type", "regex", "value", "^(a+)+$")))))).post("/api/suites").then().statusCode(201);
        String line = "{\"id\": \"evil\", \"predict\": \"" + "a".repeat(300) + "!\"}";
        // the socket timeout is the failure bound: java.util.regex would pin the request thread for hours
        String id = given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 30_000))).auth().oauth2(engineer())
                .contentType("application/x-ndjson").body(line.getBytes(StandardCharsets.UTF_8))
                .post("/api/probe-runs/import-predictions?project=" + PROJECT + "&suite=" + suite + "&endpoint="
                        + endpoint + "&model=m")
                .then().statusCode(201).body("status", is("completed")).extract().path("id");
        as(viewer()).get("/api/probe-runs/" + id + "/outputs").then().statusCode(200)
                .body("size()", is(1)).body("[0].checks.size()", is(2))
                .body("[0].checks[0].pass", is(false)).body("[0].checks[1].pass", is(false));
    }

    @Test
    void shouldRefuseRegexSyntaxRe2CannotRunNamingTheProbeAndCheck() {
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("backref"), "probes", List.of(
                probe("twice", List.of(Map.of("type", "regex", "value", "(\\w+) \\1")))))).post("/api/suites")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", is("probes[0].checks[0]"))
                .body("errors[0].message", allOf(containsString("probe 'twice', check 0"), containsString("RE2")));
    }
}
