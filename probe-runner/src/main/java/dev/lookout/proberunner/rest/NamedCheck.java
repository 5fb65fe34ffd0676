package dev.lookout.proberunner.rest;

/**
 * One check that broke (or was fixed) between the sides: the probe, the check's position and kind, a short label
 * ({@code contains "refund"}) and on how many compared answers.
 */
public record NamedCheck(String probeId, int index, String type, String name, int count) {
}
