package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;

/**
 * The Python client as a training job uses it, installed offline into a venv under target/, against the real
 * stack: a script logs 200 steps and registers a checkpoint, a running {@code lookout watch} follows a recorded
 * LLaMA-Factory log replayed into a folder a third at a time with its checkpoint folders appearing (then a second
 * watcher registers nothing twice), and {@code lookout gate} reads the round.
 */
@ExtendWith(SystemExtension.class)
class PythonClientIT {

    private static final String SCRIPT = """
            import os, sys
            import lookout
            env = os.environ
            run = lookout.init("demo", env["RUN"], baseline={"endpoint": env["ENDPOINT"], "model": "demo-base"},
                               suite=env["SUITE"], labels={"method": "lora"}, spool_dir=env["SPOOL"])
            again = lookout.init("demo", env["RUN"], baseline={"endpoint": env["ENDPOINT"], "model": "demo-base"},
                                 spool_dir=env["SPOOL"])
            assert again.id == run.id, (again.id, run.id)
            again.close()
            for step in range(1, 201):
                run.log({"train/loss": 2.0 / (1 + step / 50), "train/learning_rate": 1e-5}, step=step)
            ckpt = run.checkpoint(200, target={"endpoint": env["ENDPOINT"], "model": "demo-ckpt-200"})
            assert ckpt and ckpt["step"] == 200, ckpt
            run.finish()
            print("RUN_ID=" + run.id)
            """;

    @Test
    void aTrainingScriptTheWatcherAndTheGateWorkAgainstTheRealStack() throws Exception {
        SystemUnderTest system = SystemUnderTest.get();
        String job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        String suite = Seed.unique("py");
        Seed.suite(job, suite);
        Path work = system.targetDir().resolve("python-it");
        Files.createDirectories(work);
        Path python = venv(system, work);

        // 1. a training script: get-or-create, 200 steps, a checkpoint, finish
        String name = Seed.unique("py-sft");
        Path script = work.resolve("train.py");
        Files.writeString(script, SCRIPT);
        String out = run(work, env(Map.of("RUN", name, "ENDPOINT", endpoint, "SUITE", suite,
                "SPOOL", work.resolve("spool").toString())), python.toString(), script.toString());
        List<Map<String, Object>> runs = Api.gateway(job).queryParam("project", "demo").queryParam("name", name)
                .when().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, runs.size(), "one run of that name: " + runs);
        String runId = (String) runs.get(0).get("id");
        assertTrue(out.contains("RUN_ID=" + runId), out);
        assertEquals("finished", runs.get(0).get("status"));
        JsonPath series = Api.gateway(job).queryParam("name", "train/loss").queryParam("maxPoints", 1000)
                .when().get("/api/runs/" + runId + "/series").then().statusCode(200).extract().jsonPath();
        assertEquals(200, series.getInt("series[0].count"), series.prettify());
        List<Integer> steps = Api.gateway(job).when().get("/api/runs/" + runId + "/checkpoints")
                .then().statusCode(200).extract().jsonPath().getList("step", Integer.class);
        assertEquals(List.of(200), steps);

        // 2. lookout watch following a LLaMA-Factory folder as training writes it, then once more: nothing twice
        Path saves = work.resolve(Seed.unique("llamafactory"));
        Files.createDirectories(saves);
        Path lookout = python.resolveSibling("lookout");
        List<String> watch = List.of(lookout.toString(), "watch", saves.toString(), "--project", "demo",
                "--baseline", endpoint + "/demo-base", "--target", endpoint + "/demo-ckpt-{step}",
                "--spool-dir", work.resolve("spool").toString());
        Map<String, String> noExtra = env(Map.of());
        long watchStarted = System.nanoTime();
        Path watcherLog = work.resolve(saves.getFileName() + ".log"); // destroy() closes the process's pipes
        ProcessBuilder following = new ProcessBuilder(Stream.concat(watch.stream(), Stream.of("--interval", "0.5")).toList())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(watcherLog.toFile());
        following.environment().putAll(noExtra);
        Process watcher = following.start();
        String watchedId;
        try {
            watchedId = replayLlamaFactory(system, job, saves);
        } finally {
            watcher.destroy(); // SIGTERM: the watcher stops after its scan
        }
        assertTrue(watcher.waitFor(1, TimeUnit.MINUTES), "the watcher stopped on SIGTERM");
        String watcherOut = Files.readString(watcherLog, StandardCharsets.UTF_8);
        assertEquals(0, watcher.exitValue(), watcherOut);
        assertTrue(watcherOut.contains("checkpoint-1500 registered"), watcherOut);
        run(work, noExtra, Stream.concat(watch.stream(), Stream.of("--once")).toArray(String[]::new));
        assertEquals(List.of(500, 1000, 1500), checkpointSteps(job, watchedId), "a second watcher registers nothing twice");
        JsonPath watchedLoss = Api.gateway(job).queryParam("name", "train/loss").queryParam("name", "eval/loss")
                .queryParam("maxPoints", 1000)
                .when().get("/api/runs/" + watchedId + "/series").then().statusCode(200).extract().jsonPath();
        assertEquals(150, watchedLoss.getInt("series.find { it.name == 'train/loss' }.count"), watchedLoss.prettify());
        assertEquals(3, watchedLoss.getInt("series.find { it.name == 'eval/loss' }.count"), watchedLoss.prettify());
        System.out.printf("[python-client] watcher followed 153 lines and 3 checkpoints in %.1f s%n",
                (System.nanoTime() - watchStarted) / 1e9);

        // 3. the gate: nobody has reviewed yet, so the outcome is undecided (exit 2), with the evidence printed
        Process gate = start(work, noExtra, lookout.toString(), "gate", "--run", name, "--project", "demo");
        String gateOut = new String(gate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gate.waitFor(2, TimeUnit.MINUTES), "gate finished");
        assertEquals(2, gate.exitValue(), gateOut);
        assertTrue(gateOut.contains("checkpoint step 200"), gateOut);
        assertTrue(gateOut.contains("gate: UNDECIDED"), gateOut);
    }

    /**
     * Writes the recorded LLaMA-Factory log into the folder a third at a time (steps 10-500, 510-1000, 1010-1500), each
     * third followed by its {@code checkpoint-N/} folder as the trainer saves it, and waits after each until the
     * running watcher has sent the third's loss points and registered that checkpoint. Returns the watched run's id.
     */
    private static String replayLlamaFactory(SystemUnderTest system, String job, Path saves) throws IOException {
        Path recorded = system.repoFile("deploy/clients/python/tests/data/llamafactory_sft/trainer_log.jsonl");
        List<String> lines = Files.readAllLines(recorded, StandardCharsets.UTF_8);
        assertEquals(153, lines.size());
        String runName = saves.getFileName().toString();
        String[] runId = new String[1];
        for (int third = 1; third <= 3; third++) {
            int step = 500 * third;
            Files.write(saves.resolve("trainer_log.jsonl"), lines.subList(51 * (third - 1), 51 * third),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Path ckpt = Files.createDirectories(saves.resolve("checkpoint-" + step));
            Files.writeString(ckpt.resolve("trainer_state.json"), "{\"global_step\": " + step + ", \"log_history\": []}");
            List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, third).map(i -> 500 * i).boxed().toList();
            int points = 50 * third;
            org.awaitility.Awaitility.await("the watcher sent " + points + " loss points and registered " + expected)
                    .atMost(java.time.Duration.ofMinutes(2)).pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                        if (runId[0] == null) {
                            List<String> ids = Api.gateway(job).queryParam("project", "demo").queryParam("name", runName)
                                    .when().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("id");
                            runId[0] = ids.isEmpty() ? null : ids.get(0);
                        }
                        return runId[0] != null && checkpointSteps(job, runId[0]).equals(expected)
                                && lossCount(job, runId[0]) == points;
                    });
        }
        return runId[0];
    }

    private static List<Integer> checkpointSteps(String job, String runId) {
        return Api.gateway(job).when().get("/api/runs/" + runId + "/checkpoints")
                .then().statusCode(200).extract().jsonPath().getList("step", Integer.class);
    }

    private static int lossCount(String job, String runId) {
        List<Integer> counts = Api.gateway(job).queryParam("name", "train/loss").queryParam("maxPoints", 2)
                .when().get("/api/runs/" + runId + "/series").then().statusCode(200).extract().jsonPath()
                .getList("series.count", Integer.class);
        return counts.isEmpty() ? 0 : counts.get(0);
    }

    /** python3 -m venv, then pip install --no-index of the client: nothing comes from an index. */
    private static Path venv(SystemUnderTest system, Path work) throws Exception {
        Path venv = work.resolve("venv");
        if (!Files.isExecutable(venv.resolve("bin/python"))) {
            run(work, Map.of(), "python3", "-m", "venv", venv.toString());
        }
        run(work, Map.of(), venv.resolve("bin/pip").toString(), "install", "--no-index", "--force-reinstall", "-q",
                system.repoFile("deploy/clients/python").toString());
        return venv.resolve("bin/python");
    }

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("LOOKOUT_URL", SystemUnderTest.GATEWAY_URL);
        env.put("LOOKOUT_TOKEN_URL", SystemUnderTest.REALM_URL + "/protocol/openid-connect/token");
        env.put("LOOKOUT_CLIENT_ID", Api.TRAINING_JOB);
        env.put("LOOKOUT_CLIENT_SECRET", Api.TRAINING_JOB_SECRET);
        return env;
    }

    private static Process start(Path dir, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** Runs the command to its end (at most 5 minutes) and returns its output; fails on a non-zero exit. */
    private static String run(Path dir, Map<String, String> env, String... command) throws Exception {
        Process process = start(dir, env, command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "timed out: " + String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }
}
