package dev.lookout.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The few host commands the harness needs (rabbitmqctl, apt-get), as root directly or through `sudo -n`. */
final class Shell {
    private Shell() {
    }

    static void rabbitmqctl(boolean mayFail, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/sbin/rabbitmqctl")) ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl");
        command.addAll(List.of(args));
        run(command, mayFail, 120);
    }

    /** Installs Debian's chromium when /usr/bin/chromium is missing (and a CJK font, for the Chinese probes). */
    static synchronized Path chromium() {
        Path chromium = Path.of("/usr/bin/chromium");
        boolean noBrowser = !Files.isExecutable(chromium);
        boolean noCjkFont = Files.isExecutable(Path.of("/usr/bin/fc-list"))
                && run(List.of("/usr/bin/fc-list", ":lang=zh"), true, 60, false).isBlank();
        if (noBrowser || noCjkFont) {
            System.out.println("[system] installing with apt-get:" + (noBrowser ? " chromium" : "") + (noCjkFont ? " fonts-wqy-zenhei" : ""));
            run(List.of("apt-get", "update", "-qq"), false, 600);
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
            if (noBrowser) {
                install.add("chromium");
            }
            if (noCjkFont) {
                install.add("fonts-wqy-zenhei");
            }
            run(install, false, 1200);
        }
        return chromium;
    }

    /**
     * Installs Debian's python3-torch (and python3-venv) when /usr/bin/python3 cannot import torch: Debian's torch
     * installs into that Python only. .ci/run does the same before the build.
     */
    static synchronized void pythonTorch() {
        boolean hasTorch = run(List.of("/usr/bin/python3", "-c", "import torch, venv; print('ok')"), true, 120, false)
                .contains("ok");
        if (!hasTorch) {
            System.out.println("[system] installing with apt-get: python3-torch python3-venv");
            run(List.of("apt-get", "update", "-qq"), false, 600);
            run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "python3-torch", "python3-venv"),
                    false, 1800);
        }
    }

    static String run(List<String> command, boolean mayFail, int timeoutSeconds) {
        return run(command, mayFail, timeoutSeconds, true);
    }

    static String run(List<String> command, boolean mayFail, int timeoutSeconds, boolean asRoot) {
        List<String> full = new ArrayList<>();
        if (asRoot && !isRoot()) {
            full.addAll(List.of("sudo", "-n"));
        }
        full.addAll(command);
        try {
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + full);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 && !mayFail) {
                throw new IllegalStateException(String.join(" ", full) + " failed (" + process.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            if (mayFail) {
                return "";
            }
            throw new IllegalStateException("cannot run " + full + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + full, e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
