package dev.lookout.proberunner.rest;

import java.util.Map;

/**
 * Semantic similarity over the probes both sides answered: {@code model} names the embedding model(s) used (comma
 * separated when a suite mixes scripts), {@code models} how many probes each scored; mean and min of the cosines
 * (null when no probe was comparable).
 */
public record SemanticSummary(String model, Map<String, Integer> models, int scored, Double mean, Double min) {
}
