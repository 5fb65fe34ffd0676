package dev.lookout.ingest.service;

/** A checkpoint's LoRA adapter: what its path may be and the name it is loaded under. */
public final class AdapterNames {

    public static final int MAX_NAME = 100;

    private AdapterNames() {
    }

    /** Null when usable; else what is wrong (blank or control characters; the length is the DTO's). */
    public static String pathProblem(String path) {
        if (path == null || path.isBlank()) {
            return "must be a non-empty path";
        }
        if (path.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            return "must not contain control characters";
        }
        return null;
    }

    /**
     * {@code <run>-<step>}: characters outside {@code [A-Za-z0-9._-]} become '-', runs of '-' collapse, leading
     * '-' and '.' go, at most {@value #MAX_NAME} characters (probe-runner derives it the same way when an event
     * carries no name).
     */
    public static String defaultName(String runName, long step) {
        String suffix = "-" + step;
        String base = (runName == null ? "run" : runName).replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^[-.]+", "");
        if (base.isEmpty()) {
            base = "run";
        }
        return base.substring(0, Math.min(base.length(), MAX_NAME - suffix.length())) + suffix;
    }
}
