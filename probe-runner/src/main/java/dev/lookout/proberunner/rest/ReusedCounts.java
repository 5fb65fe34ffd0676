package dev.lookout.proberunner.rest;

/** Answers copied from an earlier run instead of asked, per side (target 0 / target 1). */
public record ReusedCounts(int candidate, int baseline) {
}
