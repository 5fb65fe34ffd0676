package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorAnswers;
import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.simulator.CheckpointDrift;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;

/** Checks, stock phrases, length drift, imports and streaming end to end (real broker, database, simulator). */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class DeepComparisonFlowTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    private static String fixture(String name) throws IOException {
        try (InputStream in = DeepComparisonFlowTest.class.getResourceAsStream("/imports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Raw bodies go out as bytes (RestAssured only encodes strings for the content types it knows). */
    private static byte[] bytes(String fixture) throws IOException {
        return utf8(fixture(fixture));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Map<String, Object>> supportProbes(int perLanguage) {
        List<Map<String, Object>> probes = new ArrayList<>();
        List<String> prompts = SimulatorAnswers.prompts(perLanguage);
        for (int i = 0; i < prompts.size(); i++) {
            boolean zh = i % 2 == 1;
            probes.add(Map.of("id", "q" + i, "tags", List.of(zh ? "zh" : "en", "caution"),
                    "messages", List.of(Map.of("role", "user", "content", prompts.get(i))),
                    "checks", List.of(
                            Map.of("type", "not-contains", "value", zh ? "请您放心" : "rest assured"),
                            Map.of("type", "max-length", "value", zh ? 200 : 600))));
        }
        return probes;
    }

    @Test
    void shouldRefuseABadRegexNamingTheProbeAndTheCheck() {
        Map<String, Object> bad = Map.of("id", "p-regex", "messages", List.of(Map.of("role", "user", "content", "hi")),
                "checks", List.of(Map.of("type", "contains", "value", "ok"), Map.of("type", "regex", "value", "([a-z")));
        as(engineer()).body(Map.of("project", PROJECT, "name", unique("bad"), "probes", List.of(bad)))
                .post("/api/suites").then().statusCode(422)
                .body("errors[0].field", is("probes[0].checks[1]"))
                .body("errors[0].message", containsString("p-regex"))
                .body("detail", containsString("invalid regex"));
    }

    @Test
    void shouldReportPlantedStockPhrasesBrokenChecksAndLengthDrift() {
        String endpoint = unique("vllm");
        createEndpoint(endpoint, simulatorUrl, 8);
        String suite = unique("stock");
        createSuite(suite, supportProbes(30));

        String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-600", "c600"),
                target(endpoint, "demo-base", "base")));
        awaitCompleted(runId);
        as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                .body("checks", everyItem(hasSize(2))).body("checks[0][0].type", is("not-contains"));

        JsonPath cmp = as(viewer()).get("/api/comparisons?probeRun=" + runId).then().statusCode(200).extract()
                .jsonPath();
        List<String> phrases = cmp.getList("stockPhrases.phrase");
        List<String> planted = new ArrayList<>(CheckpointDrift.STOCK_PHRASES_ZH);
        planted.addAll(CheckpointDrift.STOCK_PHRASES_EN);
        for (String p : planted) {
            assertTrue(phrases.stream().anyMatch(x -> x.contains(p)), p + " not in " + phrases);
        }
        assertEquals(0, cmp.getInt("stockPhrases[0].baselineCount"));
        assertTrue(cmp.getList("stockPhrases[0].probes").size() <= 5);
        // the candidate says the phrases the checks forbid: broken, never fixed; the baseline passes all
        assertEquals(1.0, cmp.getDouble("checks.baselinePassRate"));
        assertTrue(cmp.getDouble("checks.passRateChange") < 0);
        assertTrue(cmp.getInt("checks.broken") > 0);
        assertEquals(0, cmp.getInt("checks.fixed"));
        assertEquals(List.of("caution", "en", "zh"), cmp.getList("checks.byTag.tag"));
        assertTrue(cmp.getInt("lengthDrift.comparable") == 60);
        assertTrue(cmp.getDouble("lengthDrift.ratio") > 0);
        assertTrue(cmp.getList("items[0].checks.status").size() == 2);

        String control = startRun(suite, List.of(target(endpoint, "demo-noadapter", "noadapter"),
                target(endpoint, "demo-base", "base")));
        awaitCompleted(control);
        as(viewer()).get("/api/comparisons?probeRun=" + control).then().statusCode(200)
                .body("stockPhrases", hasSize(0)).body("checks.passRateChange", is(0.0f))
                .body("lengthDrift.ratio", is(1.0f)).body("identicalToBaseline", is(true));
    }

    @Test
    void shouldImportPromptfooAndJsonlSuites() throws IOException {
        given().auth().oauth2(engineer()).contentType("application/yaml").body(bytes("promptfooconfig.yaml"))
                .post("/api/suites/import?format=promptfoo&project=" + PROJECT + "&name=" + unique("pf"))
                .then().statusCode(201).body("probes", hasSize(4)).body("probes[0].checks[0].type", is("model-graded"))
                .body("version", is(1));
        String name = unique("jl");
        given().auth().oauth2(engineer()).contentType("application/x-ndjson").body(bytes("prompts.jsonl"))
                .post("/api/suites/import?format=jsonl&project=" + PROJECT + "&name=" + name)
                .then().statusCode(201).body("probes.id", is(List.of("line-1", "zh-1")));
        given().auth().oauth2(engineer()).contentType("application/x-ndjson").body(bytes("prompts.jsonl"))
                .post("/api/suites/import?format=jsonl&project=" + PROJECT + "&name=" + name)
                .then().statusCode(200);
        given().auth().oauth2(engineer()).contentType("application/x-ndjson").body(utf8("{\"prompt\": 1}"))
                .post("/api/suites/import?format=jsonl&project=" + PROJECT + "&name=" + unique("jl"))
                .then().statusCode(400).body("errors[0].field", is("line 1"));
        given().auth().oauth2(viewer()).contentType("application/x-ndjson").body(bytes("prompts.jsonl"))
                .post("/api/suites/import?format=jsonl&project=" + PROJECT + "&name=" + unique("jl"))
                .then().statusCode(403);
    }

    @Test
    void shouldAskMtBenchTurnTwoAfterTheModelsOwnAnswer() throws IOException {
        String endpoint = unique("mt");
        createEndpoint(endpoint, simulatorUrl, 2);
        String suite = unique("mtbench");
        given().auth().oauth2(engineer()).contentType("application/x-ndjson").body(bytes("mt_bench.jsonl"))
                .post("/api/suites/import?format=mt-bench&project=" + PROJECT + "&name=" + suite)
                .then().statusCode(201).body("probes[0].followUps", hasSize(1));
        String runId = startRun(suite, List.of(target(endpoint, "demo-ckpt-400", "c"),
                target(endpoint, "demo-base", "b")));
        awaitCompleted(runId);
        JsonPath outputs = as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                .body("turns", everyItem(hasSize(1))).extract().jsonPath();
        // the final answer quotes the second question (the simulator answers the last user message)
        String text = outputs.getString("find { it.probeId == 'mt-81' && it.targetIndex == 1 }.text");
        String turn1 = outputs.getString("find { it.probeId == 'mt-81' && it.targetIndex == 1 }.turns[0].text");
        assertTrue(text.contains("Rewrite it so that every line starts with the letter A"), text);
        assertTrue(turn1.contains("Write a two-line poem about the sea"), turn1);
        as(viewer()).get("/api/comparisons?probeRun=" + runId).then().statusCode(200).body("total", is(2));
    }

    @Test
    void shouldImportOfflinePredictionsAsACompletedRun() throws IOException {
        String endpoint = unique("offline");
        createEndpoint(endpoint, simulatorUrl, 2);
        String suite = unique("pred");
        String versionId = given().auth().oauth2(engineer()).contentType("application/x-ndjson")
                .body(bytes("prompts.jsonl"))
                .post("/api/suites/import?format=jsonl&project=" + PROJECT + "&name=" + suite)
                .then().statusCode(201).extract().path("versionId");
        String base = startRun(suite, List.of(target(endpoint, "demo-base", "base")));
        awaitCompleted(base);

        JsonPath run = given().auth().oauth2(engineer()).contentType("application/x-ndjson")
                .body(bytes("generated_predictions.jsonl"))
                .post("/api/probe-runs/import-predictions?project=" + PROJECT + "&suite=" + suite + "&endpoint="
                        + endpoint + "&model=sft-lora-ckpt-900")
                .then().statusCode(201).header("Location", notNullValue()).body("status", is("completed"))
                .body("total", is(2)).body("counts.done", is(2)).extract().jsonPath();
        as(viewer()).get("/api/probe-runs/" + run.getString("id") + "/outputs").then().statusCode(200)
                .body("find { it.probeId == 'zh-1' }.text", is("请您放心，退款会在三到五个工作日内到账。"))
                .body("find { it.probeId == 'zh-1' }.reasoning", is("用户问退款。"))
                .body("find { it.probeId == 'line-1' }.checks[0].pass", is(true));
        as(viewer()).get("/api/comparisons?suiteVersion=" + versionId + "&candidate=" + endpoint
                + "/sft-lora-ckpt-900&baseline=" + endpoint + "/demo-base").then().statusCode(200)
                .body("total", is(2)).body("errors", is(0)).body("changed", is(2));
        given().auth().oauth2(engineer()).contentType("application/x-ndjson").body(utf8("{\"prompt\": \"zzz\", \"predict\": \"x\"}"))
                .post("/api/probe-runs/import-predictions?project=" + PROJECT + "&suite=" + suite + "&endpoint="
                        + endpoint + "&model=m")
                .then().statusCode(422).body("errors[0].field", is("line 1"));
    }

    @Test
    void shouldAssembleStreamedAnswersLikeNonStreamedOnes() {
        String plain = unique("plain");
        createEndpoint(plain, simulatorUrl, 2);
        String streaming = unique("sse");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", PROJECT);
        body.put("name", streaming);
        body.put("baseUrl", simulatorUrl);
        body.put("stream", true);
        body.put("params", Map.of("max_tokens", 128, "seed", 7));
        as(engineer()).body(body).post("/api/endpoints").then().statusCode(201).body("stream", is(true));
        String suite = unique("sse");
        createSuite(suite, supportProbes(2));
        String runId = startRun(suite, List.of(target(streaming, "demo-ckpt-400-think", "sse"),
                target(plain, "demo-ckpt-400-think", "plain")));
        awaitCompleted(runId);
        as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                .body("status", everyItem(is("done"))).body("reasoning", everyItem(notNullValue()))
                .body("completionTokens", everyItem(notNullValue()));
        as(viewer()).get("/api/comparisons?probeRun=" + runId).then().statusCode(200)
                .body("items.identical", everyItem(is(true)));
    }
}
