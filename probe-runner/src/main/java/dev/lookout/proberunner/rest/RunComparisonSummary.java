package dev.lookout.proberunner.rest;

public record RunComparisonSummary(int total, int changed, int identical, double shareChanged) {
}
