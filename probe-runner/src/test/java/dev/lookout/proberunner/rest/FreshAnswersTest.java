package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.serviceAccount;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lookout.contracts.EventContracts;
import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.proberunner.service.CheckpointRuns;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Answers are reused only for targets that cannot have changed (a run's baseline, an endpoint declaring
 * immutableModels, the same checkpoint probed again) and never across a change of the weights the server reports;
 * every reused answer says where it came from.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class FreshAnswersTest {

    private static final int PROBES = 4;

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    @Inject
    CheckpointRuns service;

    @Test
    void shouldAskASecondRunsCheckpointAfreshUnderAModelNameAnEarlierRunUsed() {
        String endpoint = endpoint(false);
        String suite = suite();
        String first = checkpointRun(UUID.randomUUID(), UUID.randomUUID(), 400, endpoint, suite);
        awaitCompleted(first);

        // another run, another checkpoint, served under the same model name: its answers must be asked
        String second = checkpointRun(UUID.randomUUID(), UUID.randomUUID(), 400, endpoint, suite);
        JsonPath run = awaitCompleted(second);
        assertEquals(0, run.getInt("reused.candidate"));
        assertEquals(PROBES, run.getInt("reused.baseline"), "the base model cannot change: its answers are reused");

        List<Map<String, Object>> outputs = outputs(second);
        assertEquals(2 * PROBES, outputs.size());
        List<Map<String, Object>> candidate = side(outputs, 0);
        assertEquals(PROBES, candidate.size());
        for (Map<String, Object> o : candidate) {
            assertEquals(false, o.get("reused"), "candidate " + o.get("probeId"));
            assertNull(o.get("reusedFrom"));
            assertTrue((Integer) o.get("attempts") >= 1, "asked: " + o);
            assertEquals("/models/demo-ckpt-400", o.get("weightsRoot"));
            assertTrue(((String) o.get("systemFingerprint")).startsWith("fp_"), o.toString());
        }
        List<Map<String, Object>> baseline = side(outputs, 1);
        assertEquals(PROBES, baseline.size());
        for (Map<String, Object> o : baseline) {
            assertEquals(true, o.get("reused"));
            @SuppressWarnings("unchecked")
            Map<String, Object> from = (Map<String, Object>) o.get("reusedFrom");
            assertEquals(first, from.get("probeRunId"));
            assertNotNull(from.get("outputId"));
            assertEquals(400, from.get("step"));
        }
        as(serviceAccount()).get("/api/comparisons?probeRun=" + second).then().statusCode(200)
                .body("reused.candidate", is(0)).body("reused.baseline", is(PROBES));
    }

    @Test
    void shouldReuseTheAnswersOfTheSameCheckpointProbedAgain() {
        String endpoint = endpoint(false);
        String suite = suite();
        UUID runId = UUID.randomUUID();
        UUID checkpointId = UUID.randomUUID();
        String first = checkpointRun(runId, checkpointId, 600, endpoint, suite);
        awaitCompleted(first);

        String again = checkpointRun(runId, checkpointId, 600, endpoint, suite);
        JsonPath run = awaitCompleted(again);
        assertEquals(PROBES, run.getInt("reused.candidate"));
        assertEquals(PROBES, run.getInt("reused.baseline"));
        for (Map<String, Object> o : side(outputs(again), 0)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> from = (Map<String, Object>) o.get("reusedFrom");
            assertEquals(true, o.get("reused"));
            assertEquals(first, from.get("probeRunId"));
            assertEquals(checkpointId.toString(), from.get("checkpointId"));
            assertEquals(600, from.get("step"));
            assertEquals(0, o.get("attempts"), "copied, not asked");
        }
    }

    @Test
    void shouldReuseAcrossRunsOnAnImmutableEndpointAndSayWhereFrom() {
        String endpoint = endpoint(true);
        as(viewer()).get("/api/endpoints?project=" + PROJECT).then().statusCode(200);
        String suite = suite();
        String first = startRun(suite, List.of(target(endpoint, "demo-ckpt-200", "c"),
                target(endpoint, "demo-base", "b")));
        awaitCompleted(first);
        String second = startRun(suite, List.of(target(endpoint, "demo-ckpt-200", "c"),
                target(endpoint, "demo-base", "b")));
        JsonPath run = awaitCompleted(second);
        assertEquals(PROBES, run.getInt("reused.candidate"));
        assertEquals(PROBES, run.getInt("reused.baseline"));
        List<Map<String, Object>> candidate = side(outputs(second), 0);
        assertEquals(PROBES, candidate.size());
        for (Map<String, Object> o : candidate) {
            @SuppressWarnings("unchecked")
            Map<String, Object> from = (Map<String, Object>) o.get("reusedFrom");
            assertEquals(first, from.get("probeRunId"));
            assertNull(from.get("checkpointId"), "a manual run has no checkpoint");
            assertEquals("/models/demo-ckpt-200", o.get("weightsRoot"), "the identity travels with the answer");
        }
        as(serviceAccount()).get("/api/comparisons?probeRun=" + second).then().statusCode(200)
                .body("reused.candidate", is(PROBES)).body("reused.baseline", is(PROBES));
    }

    @Test
    void shouldAskAfreshWhenTheServerReportsOtherWeightsUnderTheSameName() {
        // demo-ckpt-600 is listed in /v1/models (root and fingerprint change); demo-ckpt-800 is served but not
        // listed, so only the completion's system_fingerprint tells that its weights changed
        assertAskedAfreshAfterAWeightsChange("demo-ckpt-600", "/models/demo-ckpt-600/revision-3");
        assertAskedAfreshAfterAWeightsChange("demo-ckpt-800", null);
    }

    private void assertAskedAfreshAfterAWeightsChange(String model, String newRoot) {
        String endpoint = endpoint(true);
        String suite = suite();
        String first = startRun(suite, List.of(target(endpoint, model, "c"), target(endpoint, "demo-base", "b")));
        awaitCompleted(first);
        String before = (String) side(outputs(first), 0).get(0).get("systemFingerprint");
        assertNotNull(before);
        weights(model + ":3");
        try {
            String second = startRun(suite, List.of(target(endpoint, model, "c"), target(endpoint, "demo-base", "b")));
            JsonPath run = awaitCompleted(second);
            assertEquals(0, run.getInt("reused.candidate"), model + ": new weights, nothing reused");
            assertEquals(PROBES, run.getInt("reused.baseline"), "the base model's weights did not change");
            List<Map<String, Object>> candidate = side(outputs(second), 0);
            assertEquals(PROBES, candidate.size());
            for (Map<String, Object> o : candidate) {
                assertEquals(false, o.get("reused"));
                assertEquals(newRoot, o.get("weightsRoot"));
                assertNotEquals(before, o.get("systemFingerprint"));
            }
        } finally {
            weights("");
        }
    }

    private void weights(String revisions) {
        given().baseUri(simulatorUrl).contentType(ContentType.JSON).body(Map.of("weightsRevisions", revisions))
                .put("/admin/config").then().statusCode(200);
    }

    private String endpoint(boolean immutable) {
        String name = unique(immutable ? "pinned" : "vllm");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", PROJECT);
        body.put("name", name);
        body.put("baseUrl", simulatorUrl);
        body.put("maxConcurrency", 4);
        body.put("timeoutMs", 5000);
        body.put("params", Map.of("max_tokens", 64, "seed", 7));
        if (immutable) {
            body.put("immutableModels", true);
        }
        as(engineer()).body(body).post("/api/endpoints").then().statusCode(201)
                .body("immutableModels", is(immutable));
        return name;
    }

    private static String suite() {
        String suite = unique("fresh");
        createSuite(suite, probes(PROBES, suite));
        return suite;
    }

    private String checkpointRun(UUID runId, UUID checkpointId, int step, String endpoint, String suite) {
        // the contract's example (deploy/contracts) with this test's ids and targets
        JsonObject event = new JsonObject(EventContracts.exampleWith("checkpoint.registered", 1, "with-suite",
                EventContracts.values("eventId", UUID.randomUUID().toString(), "project", PROJECT,
                        "runId", runId.toString(), "checkpointId", checkpointId.toString(), "step", step,
                        "suite", suite, "target.endpoint", endpoint, "target.model", "demo-ckpt-" + step,
                        "baseline.endpoint", endpoint, "baseline.model", "demo-base")));
        return service.startForCheckpoint(event).id.toString();
    }

    private static List<Map<String, Object>> outputs(String probeRunId) {
        return as(viewer()).get("/api/probe-runs/" + probeRunId + "/outputs").then().statusCode(200).extract()
                .jsonPath().getList("$");
    }

    private static List<Map<String, Object>> side(List<Map<String, Object>> outputs, int targetIndex) {
        return outputs.stream().filter(o -> ((Integer) o.get("targetIndex")) == targetIndex).toList();
    }
}
