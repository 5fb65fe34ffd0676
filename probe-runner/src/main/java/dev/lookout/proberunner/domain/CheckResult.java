package dev.lookout.proberunner.domain;

/**
 * Result of one check on one answer (column {@code outputs.check_results}, aligned with the probe's checks): pass is
 * null when the check is not evaluated (model-graded, or a type this version does not know, kept in a suite version
 * stored before checks were validated).
 */
public record CheckResult(String type, Boolean pass) {
}
