package dev.lookout.proberunner.rest;

public record TagChecks(String tag, int evaluated, double candidatePassRate, double baselinePassRate,
        double passRateChange, int fixed, int broken) {
}
