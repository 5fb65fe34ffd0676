package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the root README's quickstart commands the way a user does: bash, from a folder that looks like the
 * repository's root (its {@code deploy} is a link to the real one), with the README's variables set to the
 * system-test stack and Debian's Python first on PATH (the Python that has python3-torch).
 */
final class PythonJob {
    /** What the README's env block sets; nothing else is substituted. */
    static final List<String> README_VARIABLES = List.of("LOOKOUT_URL", "LOOKOUT_TOKEN_URL", "LOOKOUT_CLIENT_ID",
            "LOOKOUT_CLIENT_SECRET", "MODEL_SERVER");

    private PythonJob() {
    }

    /** The README's variables with the system-test stack's values, plus extra ones for the test's own scripts. */
    static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("LOOKOUT_URL", SystemUnderTest.GATEWAY_URL);
        env.put("LOOKOUT_TOKEN_URL", SystemUnderTest.REALM_URL + "/protocol/openid-connect/token");
        env.put("LOOKOUT_CLIENT_ID", Api.TRAINING_JOB);
        env.put("LOOKOUT_CLIENT_SECRET", Api.TRAINING_JOB_SECRET);
        env.put("MODEL_SERVER", SystemUnderTest.SIMULATOR_URL);
        env.put("PATH", "/usr/bin:/bin:" + System.getenv().getOrDefault("PATH", ""));
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONUNBUFFERED", "1");
        return env;
    }

    /** target/NAME, emptied, with {@code deploy} linked to the repository's deploy folder. */
    static Path workDir(SystemUnderTest system, String name) {
        Path work = system.targetDir().resolve(name);
        try {
            Shell.run(List.of("rm", "-rf", work.toString()), false, 60, false);
            Files.createDirectories(work);
            Files.createSymbolicLink(work.resolve("deploy"), system.repoFile("deploy"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return work;
    }

    /** bash -c script in dir; stdout and stderr together; stdin left open for the caller. */
    static Process bash(Path dir, Map<String, String> env, String script) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Outcome(int exit, String output, double seconds) {
    }

    /** Runs the script to its end (at most 10 minutes) and returns its exit code and output. */
    static Outcome run(Path dir, Map<String, String> env, String script) throws InterruptedException {
        long t0 = System.nanoTime();
        Process process = bash(dir, env, script);
        String output;
        try {
            process.getOutputStream().close();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "timed out:\n" + script);
        return new Outcome(process.exitValue(), output, (System.nanoTime() - t0) / 1e9);
    }

    /** As {@link #run}, failing unless the script exits 0. */
    static String succeed(Path dir, Map<String, String> env, String script) throws InterruptedException {
        Outcome outcome = run(dir, env, script);
        assertEquals(0, outcome.exit(), "script failed:\n" + script + "\n--- output:\n" + outcome.output());
        return outcome.output();
    }
}
