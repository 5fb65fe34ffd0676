package dev.lookout.proberunner.domain;

/** A check of a probe's answer ({@code CheckEvaluator}): its type and the type's value. */
public record ProbeCheck(String type, Object value) {
}
