package dev.lookout.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** One process of the system under test: started with its output in a log file, awaited on a readiness URL, stopped with its children. */
final class ManagedProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    final URI readyUrl;
    final Path log;
    private List<String> command;
    private final Map<String, String> env;
    private final Path workDir;
    private Process process;
    private long startedAtNanos;
    /** After the first start the log is appended to, so a restarted process keeps its earlier lines. */
    private boolean started;

    ManagedProcess(String name, int port, String readyUrl, Path log, Path workDir, List<String> command, Map<String, String> env) {
        this.name = name;
        this.port = port;
        this.readyUrl = URI.create(readyUrl);
        this.log = log;
        this.workDir = workDir;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
    }

    void start() {
        if (Ports.inUse(port)) {
            throw new IllegalStateException(name + ": port " + port + " is already in use — a previous system-test run or "
                    + "another process still holds it (see target/system-logs/pids)");
        }
        try {
            Files.createDirectories(log.getParent());
            // a restart (fault tests) appends to the log of the first start
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(started ? ProcessBuilder.Redirect.appendTo(log.toFile())
                            : ProcessBuilder.Redirect.to(log.toFile()));
            started = true;
            builder.environment().putAll(env);
            startedAtNanos = System.nanoTime();
            process = builder.start();
            Leftovers.record(name, process.pid());
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot start " + command, e);
        }
    }

    /** Waits for an HTTP 200 from the readiness URL; fails fast with the log's tail when the process exits. */
    Duration awaitReady(Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            Awaitility.await(name + " ready at " + readyUrl).atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + process.exitValue()
                                    + " before it was ready; log " + log + ":\n" + tail(60));
                        }
                        try {
                            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                        } catch (IOException notListeningYet) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s at " + readyUrl
                    + "; log " + log + ":\n" + tail(60), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startedAtNanos);
        System.out.printf("[system] %s ready on %d after %.1f s%n", name, port, took.toMillis() / 1000.0);
        return took;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The process id (of kc.sh for Keycloak); fails when not running. */
    long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    /** SIGKILL to the process and its descendants (no shutdown hook, no graceful stop); returns once they are gone. */
    void kill9() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            handle.onExit().orTimeout(20, TimeUnit.SECONDS).join();
        }
        System.out.printf("[system] %s killed with SIGKILL (pid %d)%n", name, process.pid());
        process = null;
    }

    /** The exit code once the process has ended by itself (e.g. a test-only failpoint); null while it runs. */
    Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /**
     * Starts the process again (after {@link #kill9()}, {@link #stop()} or its own exit) with {@code -Dkey=value}
     * system properties set, replacing the same keys of the last command; {@code null} values remove the key. The
     * log is appended to. Waits until it is ready and returns how long that took.
     */
    Duration restart(Map<String, String> properties, Duration timeout) {
        if (isAlive()) {
            throw new IllegalStateException(name + " still runs: kill or stop it first");
        }
        setProperties(properties);
        start();
        return awaitReady(timeout);
    }

    /** Sets {@code -Dkey=value} system properties for the next start (null value: removes the key). */
    void setProperties(Map<String, String> properties) {
        List<String> next = new ArrayList<>(command);
        properties.forEach((key, value) -> {
            next.removeIf(arg -> arg.startsWith("-D" + key + "="));
            if (value != null) {
                next.add(next.indexOf("-jar"), "-D" + key + "=" + value);
            }
        });
        command = List.copyOf(next);
    }

    /** TERM to the process and its descendants (kc.sh runs Java as a child), KILL after 20 s. */
    void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle handle : all) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }

    String tail(int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
