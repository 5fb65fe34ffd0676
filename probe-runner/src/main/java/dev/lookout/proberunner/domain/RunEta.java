package dev.lookout.proberunner.domain;

/** Estimated time left of a running probe run and the recent completion rate it is based on. */
public record RunEta(double seconds, double callsPerSecond) {
}
