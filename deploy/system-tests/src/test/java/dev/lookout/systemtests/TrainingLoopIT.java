package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * A real PyTorch training loop (Debian's python3-torch, a tiny MLP on random data, 450 steps on the CPU) with the
 * client installed by the README's own install block, against the real stack; the gateway is stopped for the second
 * third of training and started again. Lookout keeps one point per (series, step), so the test checks more than the
 * stored count: every logged step is there with the value that was logged, and the /metrics answers add up to
 * exactly one stored point per logged point (re-sent ones count as duplicates, reported). The loop's step times per
 * phase are printed, not asserted.
 */
@ExtendWith(SystemExtension.class)
class TrainingLoopIT {

    private static final int STEPS = 450;
    private static final int LOG_EVERY = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTorchLoopLogsEveryStepExactlyOnceThroughAGatewayOutageAndTheGateReadsItsRound() throws Exception {
        long t0 = System.nanoTime();
        SystemUnderTest system = SystemUnderTest.get();
        Shell.pythonTorch();
        String job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        String suite = Seed.unique("torch");
        Seed.suite(job, suite);
        String name = Seed.unique("torch-sft");
        Path work = PythonJob.workDir(system, "training-loop");
        Map<String, String> blocks = ReadmeBlocks.quickstart(system.repoFile("README.md"));
        Path script = work.resolve("train_loop.py");
        Files.copy(system.repoFile("deploy/system-tests/src/test/resources/training/train_loop.py"), script);
        Map<String, String> env = PythonJob.env(Map.of("RUN", name, "ENDPOINT", endpoint, "SUITE", suite,
                "SPOOL", work.resolve("spool").toString(), "WORK", work.toString()));
        // the README's install block once, then the loop and the gate in the venv it made
        PythonJob.succeed(work, env, ReadmeBlocks.script(blocks, List.of("install"))
                + "python -c 'import torch, lookout; print(torch.__version__)'\n");
        double installed = (System.nanoTime() - t0) / 1e9;
        String venv = ". .venv/bin/activate\n";

        JsonNode summary = trainThroughAnOutage(system, work, env, venv + "exec python train_loop.py\n");
        System.out.printf("[training-loop] install %.1f s, total %.1f s; step ms by phase (2 = gateway down) %s; "
                        + "checkpoint ms %s; stored %s, duplicates %s%n", installed, (System.nanoTime() - t0) / 1e9,
                summary.get("stepMillis"), summary.get("checkpointMillis"), summary.get("stored"),
                summary.get("duplicates"));

        assertEveryStepStoredOnce(job, name, summary);
        String gate = PythonJob.succeed(work, env, venv + "lookout gate --run " + name + " --project demo || echo \"EXIT=$?\"\n");
        assertTrue(gate.contains("EXIT=2"), "undecided (2): nobody reviewed\n" + gate);
        assertTrue(gate.contains("checkpoint step 450: " + endpoint + "/demo-ckpt-450"), gate);
        assertTrue(gate.contains("no human verdict yet"), gate);
        assertTrue(gate.contains("gate: UNDECIDED"), gate);
    }

    /** Runs the loop; stops the gateway after phase 1 and starts it again after phase 2. Returns the loop's summary. */
    private static JsonNode trainThroughAnOutage(SystemUnderTest system, Path work, Map<String, String> env, String command)
            throws Exception {
        ManagedProcess gateway = system.process("gateway");
        Process loop = PythonJob.bash(work, env, command);
        StringBuilder output = new StringBuilder();
        JsonNode summary = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(loop.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(loop.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("PHASE 1 done")) {
                    gateway.stop();
                    System.out.println("[training-loop] gateway stopped after step 150");
                    continue1(in);
                } else if (line.startsWith("PHASE 2 done")) {
                    assertTrue(Integer.parseInt(line.replaceFirst(".*spooled=", "")) >= 2,
                            "the metrics and the checkpoint of phase 2 wait in the spool: " + line);
                    gateway.start();
                    gateway.awaitReady(Duration.ofSeconds(120));
                    continue1(in);
                } else if (line.startsWith("SUMMARY ")) {
                    summary = JSON.readTree(line.substring("SUMMARY ".length()));
                }
            }
        } finally {
            if (!gateway.isAlive()) { // other tests share this gateway
                gateway.start();
                gateway.awaitReady(Duration.ofSeconds(120));
            }
        }
        assertTrue(loop.waitFor(2, TimeUnit.MINUTES), "the loop ended:\n" + output);
        assertEquals(0, loop.exitValue(), output.toString());
        assertTrue(summary != null, "the loop printed its summary:\n" + output);
        return summary;
    }

    private static void continue1(Writer in) throws IOException {
        in.write("go\n");
        in.flush();
    }

    private static void assertEveryStepStoredOnce(String job, String name, JsonNode summary) {
        List<Integer> expectedSteps = IntStream.rangeClosed(1, STEPS / LOG_EVERY).map(i -> i * LOG_EVERY).boxed().toList();
        Map<Integer, Double> logged = new TreeMap<>();
        summary.get("logged").fields().forEachRemaining(e -> logged.put(Integer.valueOf(e.getKey()), e.getValue().asDouble()));
        assertEquals(expectedSteps, List.copyOf(logged.keySet()), "the loop logged every 5th step");
        assertEquals(0, summary.get("spoolLeft").asInt(), summary.toString());
        assertEquals(0, summary.get("droppedPoints").asInt(), summary.toString());
        assertEquals(Map.of("150", "registered", "300", "spooled", "450", "registered"),
                JSON.convertValue(summary.get("checkpoints"), Map.class), summary.toString());
        assertEquals(2 * expectedSteps.size(), summary.get("stored").asInt(), "one stored point per logged point: " + summary);

        List<Map<String, Object>> runs = Api.gateway(job).queryParam("project", "demo").queryParam("name", name)
                .when().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, runs.size(), runs.toString());
        assertEquals("finished", runs.get(0).get("status"));
        String runId = (String) runs.get(0).get("id");
        assertEquals(summary.get("run").asText(), runId);
        JsonPath series = Api.gateway(job).queryParam("name", "train/loss").queryParam("name", "train/learning_rate")
                .queryParam("maxPoints", 1000)
                .when().get("/api/runs/" + runId + "/series").then().statusCode(200).extract().jsonPath();
        assertEquals(expectedSteps.size(), series.getInt("series.find { it.name == 'train/loss' }.count"), series.prettify());
        assertEquals(expectedSteps.size(), series.getInt("series.find { it.name == 'train/learning_rate' }.count"));
        List<Integer> steps = series.getList("series.find { it.name == 'train/loss' }.points.step", Integer.class);
        List<Double> values = series.getList("series.find { it.name == 'train/loss' }.points.value", Double.class);
        assertEquals(expectedSteps, steps);
        for (int i = 0; i < steps.size(); i++) {
            double sent = logged.get(steps.get(i));
            assertEquals(sent, values.get(i), Math.abs(sent) * 1e-6, "loss at step " + steps.get(i));
        }
        List<Integer> checkpoints = Api.gateway(job).when().get("/api/runs/" + runId + "/checkpoints")
                .then().statusCode(200).extract().jsonPath().getList("step", Integer.class);
        assertEquals(List.of(150, 300, 450), checkpoints);
    }
}
