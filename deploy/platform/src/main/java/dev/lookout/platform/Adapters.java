package dev.lookout.platform;

/**
 * A checkpoint given as a LoRA adapter: the path the model server reads it from and the name it is loaded under.
 * ingest-service checks them when a checkpoint is registered and probe-runner when it loads one, so both use this.
 */
public final class Adapters {

    public static final int MAX_PATH = 1024;
    public static final int MAX_NAME = 100;

    private Adapters() {
    }

    /** Null when the path is usable; else what is wrong with it (blank, too long, control characters). */
    public static String pathProblem(String path) {
        if (path == null || path.isBlank()) {
            return "must be a non-empty path";
        }
        if (path.length() > MAX_PATH) {
            return "must be at most " + MAX_PATH + " characters";
        }
        if (path.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            return "must not contain control characters";
        }
        return null;
    }

    /**
     * The name an adapter is loaded under when none was given: {@code <run>-<step>}, every character outside
     * {@code [A-Za-z0-9._-]} replaced by '-', runs of '-' collapsed, leading '-' and '.' dropped, at most
     * {@value #MAX_NAME} characters.
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
