package dev.lookout.proberunner.domain;

/** The sampling parameters an endpoint is called with; null fields take their defaults. */
public record SamplingParams(Double temperature, Double topP, Integer maxTokens, Long seed) {
}
