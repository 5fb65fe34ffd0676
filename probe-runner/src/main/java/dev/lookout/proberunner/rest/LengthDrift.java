package dev.lookout.proberunner.rest;

/** Mean lengths in characters (code points) over comparable probes; ratio = candidate mean / baseline mean. */
public record LengthDrift(int comparable, double candidateMeanLength, double baselineMeanLength, Double ratio,
        Double medianRatio) {
}
