package dev.lookout.systemtests;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.lookout.simulator.SchemaBait;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * What a hostile engineer can put into checks and probe runs, through the gateway with real tokens: JSON schemas
 * that would make probe-runner fetch, a regex that backtracks for hours, and more calls than a project may queue.
 */
@ExtendWith(SystemExtension.class)
class AttackChecksIT {

    private static Map<String, Object> probe(String id, Map<String, Object> check) {
        return Map.of("id", id, "messages", List.of(Map.of("role", "user", "content", "Answer in JSON.")),
                "checks", List.of(check));
    }

    @Test
    void aJsonSchemaCheckNeverMakesProbeRunnerFetchAnything() {
        String eve = Api.userToken("eve");
        try (SchemaBait listener = new SchemaBait()) {
            List<Map<String, Object>> schemas = new ArrayList<>(List.of(
                    Map.of("$ref", listener.url("/ref.json")),
                    Map.of("$ref", listener.url("/redirect")),
                    Map.of("$schema", listener.url("/meta")),
                    Map.of("$id", listener.url("/base/"), "properties", Map.of("a", Map.of("$ref", "a.json"))),
                    Map.of("$ref", "file:///etc/passwd"),
                    Map.of("items", Map.of("$ref", "file:///no/such/schema.json"))));
            for (Map<String, Object> schema : schemas) {
                for (String type : List.of("json-schema", "is-json")) {
                    Api.gateway(eve).body(Map.of("project", Seed.PROJECT, "name", Seed.unique("hostile-schema"),
                                    "probes", List.of(probe("fetcher", Map.of("type", type, "value", schema)))))
                            .when().post("/api/suites")
                            .then().statusCode(422).contentType(startsWith("application/problem+json"))
                            .body("errors[0].field", is("probes[0].checks[0]"))
                            .body("errors[0].message", allOf(containsString("probe 'fetcher', check 0"),
                                    anyOf(containsString("nothing is fetched"), containsString("stands alone"))));
                }
            }
            assertEquals(List.of(), listener.hits(), "probe-runner must never fetch a schema");
        }
    }

    @Test
    void theBacktrackingRegexOnAPredictionsImportAnswersPromptly() {
        String eve = Api.userToken("eve");
        String endpoint = Seed.unique("offline");
        Seed.endpoint(eve, endpoint);
        String suite = Seed.unique("redos");
        Seed.suite(eve, Seed.PROJECT, suite, List.of(probe("evil", Map.of("type", "regex", "value", "(.*a){5}x"))));
        String line = "{\"id\": \"evil\", \"predict\": \"" + "a".repeat(250) + "\"}";
        // the socket timeout is the failure bound: on java.util.regex this request would hold a thread for hours
        String id = Api.gateway(eve).config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 30_000)))
                .contentType("application/x-ndjson").body(line.getBytes(StandardCharsets.UTF_8))
                .queryParam("project", Seed.PROJECT).queryParam("suite", suite).queryParam("endpoint", endpoint)
                .queryParam("model", "demo-ckpt-9")
                .when().post("/api/probe-runs/import-predictions")
                .then().statusCode(201).body("status", is("completed")).extract().path("id");
        Api.gateway(eve).when().get("/api/probe-runs/" + id + "/outputs").then().statusCode(200)
                .body("size()", is(1)).body("[0].checks.size()", is(1)).body("[0].checks[0].pass", is(false));
    }

    @Test
    void theEleventhProbeRunOverTheProjectsDailyQuotaGets429() {
        String ada = Api.userToken("ada");
        String eve = Api.userToken("eve");
        Api.gateway(Api.userToken("vic")).when().get("/api/projects/demo/quotas").then().statusCode(200)
                .body("project", is("demo"));
        Api.gateway(eve).body(Map.of("maxCallsPerDay", 1)).when().put("/api/projects/demo/quotas").then()
                .statusCode(403);
        String endpoint = Seed.unique("quota");
        Seed.endpoint(eve, endpoint);
        String suite = Seed.unique("quota");
        Seed.suite(eve, suite); // four probes: four calls a run of one target
        JsonPath before = Api.gateway(ada).when().get("/api/projects/demo/quotas").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> overrides = before.getMap("overrides");
        long used = before.getLong("callsLast24h");
        Map<String, Object> low = new HashMap<>(overrides);
        low.put("maxCallsPerDay", used + 40);
        Api.gateway(ada).body(low).when().put("/api/projects/demo/quotas").then().statusCode(200)
                .body("maxCallsPerDay", is((int) (used + 40)));
        try {
            for (int i = 1; i <= 10; i++) {
                // a checkpoint of its own each time: nothing can be reused, every run queues four calls
                probeRun(eve, suite, endpoint, "demo-ckpt-" + (7000 + i)).then().statusCode(202);
            }
            Response refused = probeRun(eve, suite, endpoint, "demo-ckpt-7011");
            refused.then().statusCode(429).contentType(startsWith("application/problem+json"))
                    .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                    .body("detail", allOf(containsString("maxCallsPerDay"), containsString("is " + (used + 40)
                            + " calls")));
        } finally {
            Api.gateway(ada).body(overrides).when().put("/api/projects/demo/quotas").then().statusCode(200);
        }
    }

    private static Response probeRun(String token, String suite, String endpoint, String model) {
        return Api.gateway(token).body(Map.of("project", Seed.PROJECT, "suite", suite, "targets",
                List.of(Map.of("endpoint", endpoint, "model", model)))).when().post("/api/probe-runs");
    }
}
