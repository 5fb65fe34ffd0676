package dev.lookout.proberunner.domain;

import java.util.List;

/** A manual probe run to start: a suite (its latest version when {@code version} is null) against the targets. */
public record NewProbeRun(String project, String suite, Integer version, List<TargetSpec> targets, Integer samples) {

    /** A target named by the user; {@code adapterPath}: a LoRA adapter the runner loads under {@code model} first. */
    public record TargetSpec(String endpoint, String model, String label, String adapterPath) {
    }
}
