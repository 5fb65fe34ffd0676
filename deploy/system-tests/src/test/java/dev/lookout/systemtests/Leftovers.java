package dev.lookout.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * PIDs of the processes this harness started, in target/system-logs/pids. A JVM killed hard (no shutdown hook)
 * leaves its Keycloak and jars running on the fixed ports; the next run stops them first — only processes whose
 * command line shows they are ours (started with a system-test port).
 */
final class Leftovers {
    private static Path file;

    private Leftovers() {
    }

    static synchronized void init(Path pidFile) {
        file = pidFile;
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.trim().split("\\s+");
                    if (parts.length == 2) {
                        stopIfOurs(parts[0], Long.parseLong(parts[1]));
                    }
                }
                Files.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static synchronized void record(String name, long pid) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, name + " " + pid + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopIfOurs(String name, long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return;
        }
        String cmd = handle.get().info().commandLine().orElse("");
        // ours = started with one of the system-test ports on its command line (never a deploy/local/up process)
        boolean ours = cmd.contains("-Dquarkus.http.port=" + Ports.GATEWAY) || cmd.contains("-Dquarkus.http.port=" + Ports.INGEST)
                || cmd.contains("-Dquarkus.http.port=" + Ports.PROBE_RUNNER) || cmd.contains("-Dquarkus.http.port=" + Ports.REVIEW)
                || cmd.contains("-Dquarkus.http.port=" + Ports.TLS_GATEWAY)
                || cmd.contains("-Dquarkus.http.port=" + Ports.PROBE_RUNNER_2)
                || cmd.contains("--port=" + Ports.SIMULATOR) || cmd.contains("--http-port=" + Ports.KEYCLOAK);
        if (!ours) {
            return;
        }
        System.out.printf("[system] stopping %s (pid %d) left over from an earlier run%n", name, pid);
        List<ProcessHandle> all = new java.util.ArrayList<>(handle.get().descendants().toList());
        all.add(handle.get());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }
}
