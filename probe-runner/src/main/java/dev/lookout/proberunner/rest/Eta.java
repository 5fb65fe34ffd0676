package dev.lookout.proberunner.rest;

/** Estimated time left of a running probe run and the recent completion rate it is based on. */
public record Eta(double seconds, double callsPerSecond) {
}
