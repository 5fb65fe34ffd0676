package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;

/**
 * An old answer is never passed off as a new one, through the gateway with real tokens: a second run whose
 * checkpoint is served under a model name an earlier run used gets fresh answers (and something to review); an
 * endpoint that declares its model names immutable reuses, and says where each answer came from.
 */
@ExtendWith(SystemExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FreshAnswersIT {

    private static final int PROBES = 4;

    @Test
    @Order(1)
    void anImmutableEndpointReusesAnswersAndSaysWhereFrom() {
        String job = Api.trainingJobToken();
        String eve = Api.userToken("eve");
        String endpoint = immutableEndpoint(job);
        String suite = Seed.unique("fresh-pinned");
        Seed.suite(job, suite);

        String firstRun = Seed.run(job, Seed.unique("pinned-a"), endpoint, suite);
        String firstCheckpoint = Seed.checkpoint(job, firstRun, 400, endpoint);
        String firstProbeRun = probeRunOf(firstRun);
        String secondRun = Seed.run(job, Seed.unique("pinned-b"), endpoint, suite);
        Seed.checkpoint(job, secondRun, 400, endpoint);
        String secondProbeRun = probeRunOf(secondRun);

        Api.gateway(eve).when().get("/api/probe-runs/" + secondProbeRun).then().statusCode(200)
                .body("reused.candidate", equalTo(PROBES)).body("reused.baseline", equalTo(PROBES));
        List<Map<String, Object>> candidate = candidateOutputs(eve, secondProbeRun);
        assertEquals(PROBES, candidate.size());
        for (Map<String, Object> o : candidate) {
            assertEquals(true, o.get("reused"), String.valueOf(o.get("probeId")));
            @SuppressWarnings("unchecked")
            Map<String, Object> from = (Map<String, Object>) o.get("reusedFrom");
            assertNotNull(from, "a reused answer says where it came from");
            assertEquals(firstProbeRun, from.get("probeRunId"));
            assertEquals(firstCheckpoint, from.get("checkpointId"));
            assertEquals(400, from.get("step"));
            assertEquals("/models/demo-ckpt-400", o.get("weightsRoot"));
        }
        Api.gateway(eve).queryParam("probeRun", secondProbeRun).when().get("/api/comparisons").then().statusCode(200)
                .body("reused.candidate", equalTo(PROBES)).body("reused.baseline", equalTo(PROBES));
    }

    @Test
    @Order(2)
    void aSecondRunUnderTheSameModelNamesGetsFreshAnswersAndSomethingToReview() {
        String job = Api.trainingJobToken();
        String eve = Api.userToken("eve");
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        String suite = Seed.unique("fresh");
        Seed.suite(job, suite);

        String firstRun = Seed.run(job, Seed.unique("fresh-a"), endpoint, suite);
        Seed.checkpoint(job, firstRun, 600, endpoint);
        String firstProbeRun = probeRunOf(firstRun);
        // the next run's checkpoint is served under the same name (one served name for every adapter)
        String secondRun = Seed.run(job, Seed.unique("fresh-b"), endpoint, suite);
        Seed.checkpoint(job, secondRun, 600, endpoint);
        String secondProbeRun = probeRunOf(secondRun);

        JsonPath run = Api.gateway(eve).when().get("/api/probe-runs/" + secondProbeRun).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, run.getInt("reused.candidate"), "the checkpoint's answers are asked afresh");
        assertEquals(PROBES, run.getInt("reused.baseline"), "the base model's answers may be reused");
        List<Map<String, Object>> candidate = candidateOutputs(eve, secondProbeRun);
        assertEquals(PROBES, candidate.size());
        for (Map<String, Object> o : candidate) {
            assertEquals(false, o.get("reused"), String.valueOf(o.get("probeId")));
            assertNull(o.get("reusedFrom"));
            assertTrue((Integer) o.get("attempts") >= 1, "asked: " + o);
        }
        Api.gateway(eve).queryParam("probeRun", secondProbeRun).when().get("/api/comparisons").then().statusCode(200)
                .body("reused.candidate", equalTo(0)).body("reused.baseline", equalTo(PROBES));

        // both runs' checkpoints changed the same answers: each run's batch has items of its own
        assertTrue(batchItems(eve, firstProbeRun) > 0, "first run's batch");
        assertTrue(batchItems(eve, secondProbeRun) > 0, "the second run's batch is not empty");
    }

    private static String immutableEndpoint(String token) {
        String name = Seed.unique("pinned");
        Api.gateway(token).body(Map.of("project", Seed.PROJECT, "name", name, "baseUrl",
                SystemUnderTest.SIMULATOR_URL, "maxConcurrency", 8, "timeoutMs", 20000, "immutableModels", true,
                "params", Map.of("temperature", 0, "max_tokens", 200, "seed", 7)))
                .when().post("/api/endpoints").then().statusCode(201).body("immutableModels", equalTo(true));
        return name;
    }

    private static String probeRunOf(String run) {
        List<Map<String, Object>> runs = Seed.awaitProbeRunsCompleted(run, 1);
        assertEquals(1, runs.size());
        return (String) runs.get(0).get("id");
    }

    private static List<Map<String, Object>> candidateOutputs(String token, String probeRun) {
        List<Map<String, Object>> outputs = Api.gateway(token).when().get("/api/probe-runs/" + probeRun + "/outputs")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(2 * PROBES, outputs.size());
        return outputs.stream().filter(o -> ((Integer) o.get("targetIndex")) == 0).toList();
    }

    /** The item count of the probe run's review batch, as engineer eve lists it (waits for the batch). */
    private static long batchItems(String token, String probeRun) {
        return await("review batch of " + probeRun).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    List<Map<String, Object>> batches = Api.gateway(token).queryParam("project", Seed.PROJECT)
                            .when().get("/api/review-batches").then().statusCode(200).extract().jsonPath()
                            .getList("findAll { it.probeRunId == '" + probeRun + "' }");
                    return batches.isEmpty() ? null : ((Number) batches.get(0).get("items")).longValue();
                }, java.util.Objects::nonNull);
    }
}
