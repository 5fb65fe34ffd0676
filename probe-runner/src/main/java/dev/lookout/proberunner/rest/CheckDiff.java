package dev.lookout.proberunner.rest;

/** One check of a probe on both sides; status fixed | broken | same | not-evaluated. */
public record CheckDiff(int index, String type, Boolean candidate, Boolean baseline, String status) {
}
