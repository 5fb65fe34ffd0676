package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The root README's quickstart, run as written: its marked blocks (install, setup, train, then gate) are extracted
 * and run by bash against the system-test stack, with only the variables of its env block set to this stack. Between
 * training and the gate the test reviews like the README's step 4 says a human does (rita and rob vote blind, for
 * the answer with fewer stock phrases), then checks the gate's exit code and evidence against the round report.
 */
@ExtendWith(SystemExtension.class)
class ReadmeQuickstartIT {

    private static final Pattern STOCK = Pattern.compile(
            "请您放心|我们会尽快为您处理|感谢您的耐心等待|as soon as possible|thank you for your patience|rest assured",
            Pattern.CASE_INSENSITIVE);

    @Test
    void theQuickstartRunsAsWrittenAndItsEffectsAreVisibleThroughTheApi() throws Exception {
        long t0 = System.nanoTime();
        SystemUnderTest system = SystemUnderTest.get();
        Map<String, String> blocks = ReadmeBlocks.quickstart(system.repoFile("README.md"));
        assertEquals(List.of("env", "install", "setup", "train", "gate"), List.copyOf(blocks.keySet()));
        assertEquals(Set.copyOf(PythonJob.README_VARIABLES), ReadmeBlocks.exported(blocks.get("env")),
                "the env block sets exactly the variables this test substitutes");
        Path work = PythonJob.workDir(system, "readme-quickstart");
        Map<String, String> env = PythonJob.env(Map.of());

        String out = PythonJob.succeed(work, env, ReadmeBlocks.script(blocks, List.of("install", "setup", "train")));
        double trained = (System.nanoTime() - t0) / 1e9;
        String job = Api.trainingJobToken();
        List<Map<String, Object>> endpoints = Api.gateway(job).queryParam("project", "demo").queryParam("name", "my-server")
                .when().get("/api/endpoints").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, endpoints.size(), out);
        assertEquals(SystemUnderTest.SIMULATOR_URL, endpoints.get(0).get("baseUrl"));
        List<String> probes = Api.gateway(job).queryParam("project", "demo").queryParam("name", "my-suite")
                .when().get("/api/suites").then().statusCode(200).extract().jsonPath().getList("[0].probes.id", String.class);
        assertEquals(List.of("refund", "delivery", "order", "charged-twice"), probes, out);
        List<Map<String, Object>> runs = Api.gateway(job).queryParam("project", "demo").queryParam("name", "my-first-run")
                .when().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, runs.size(), out);
        assertEquals("finished", runs.get(0).get("status"));
        String run = (String) runs.get(0).get("id");
        JsonPath loss = Api.gateway(job).queryParam("name", "train/loss").queryParam("maxPoints", 1000)
                .when().get("/api/runs/" + run + "/series").then().statusCode(200).extract().jsonPath();
        assertEquals(600, loss.getInt("series[0].count"), loss.prettify());
        assertEquals(List.of(200, 400, 600), Api.gateway(job).when().get("/api/runs/" + run + "/checkpoints")
                .then().statusCode(200).extract().jsonPath().getList("step", Integer.class));

        // step 4, as the reviewers would do it in the web UI
        for (Map<String, Object> probeRun : Seed.awaitProbeRunsCompleted(run, 3)) {
            Seed.awaitReviewBatch(null, "demo", (String) probeRun.get("id"));
        }
        int votes = review(run);
        assertTrue(votes > 0, "the checkpoints' changed answers were up for review");

        // step 5: the gate, in the venv step 1 made (the user's shell still has it activated)
        PythonJob.Outcome gate = PythonJob.run(work, env, ". .venv/bin/activate\n" + ReadmeBlocks.script(blocks, List.of("gate")));
        JsonPath round = Api.gateway(job).when().get("/api/rounds/" + run).then().statusCode(200).extract().jsonPath();
        int verdictVotes = round.getInt("checkpoints.find { it.step == 600 }.verdict.votes");
        double winRate = round.getDouble("checkpoints.find { it.step == 600 }.verdict.winRate");
        assertTrue(verdictVotes > 0, round.prettify());
        String expected = winRate >= 0.5 ? "PASS" : "FAIL";
        assertEquals(winRate >= 0.5 ? 0 : 1, gate.exit(), gate.output());
        assertTrue(gate.output().contains("checkpoint step 600: my-server/demo-ckpt-600"), gate.output());
        assertTrue(gate.output().contains("verdict: " + verdictVotes + " votes"), gate.output());
        assertTrue(gate.output().contains("gate: " + expected), gate.output());
        System.out.printf("[readme-quickstart] install+setup+train %.1f s, %d votes, gate %s (win rate %.3f) in %.1f s; "
                + "total %.1f s%n", trained, votes, expected, winRate, gate.seconds(), (System.nanoTime() - t0) / 1e9);
    }

    /** rita and rob take the run's tasks until neither gets one, preferring the answer with fewer stock phrases. */
    private static int review(String run) {
        Map<String, String> tokens = new HashMap<>(Map.of("rita", Api.userToken("rita"), "rob", Api.userToken("rob")));
        List<String> reviewers = List.of("rita", "rob");
        Set<String> done = new java.util.HashSet<>();
        int votes = 0;
        for (int i = 0; done.size() < reviewers.size(); i++) {
            assertTrue(i < 200, "still tasks after 200 turns");
            String reviewer = reviewers.get(i % 2);
            Response next = Api.gateway(tokens.get(reviewer)).queryParam("project", "demo").queryParam("run", run)
                    .when().post("/api/reviews/next");
            if (next.statusCode() == 204) {
                done.add(reviewer);
                continue;
            }
            assertEquals(200, next.statusCode(), next.asString());
            JsonPath task = next.jsonPath();
            long a = count(task.getString("a.text"));
            long b = count(task.getString("b.text"));
            String choice = a < b ? "A" : b < a ? "B" : "TIE";
            Api.gateway(tokens.get(reviewer)).body(Map.of("choice", choice, "tags", List.of(), "comment", "quickstart"))
                    .when().post("/api/reviews/" + task.getString("taskId") + "/vote")
                    .then().statusCode(200);
            votes++;
        }
        assertFalse(done.isEmpty());
        return votes;
    }

    private static long count(String text) {
        Matcher m = STOCK.matcher(text == null ? "" : text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
