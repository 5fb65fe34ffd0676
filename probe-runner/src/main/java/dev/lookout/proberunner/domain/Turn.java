package dev.lookout.proberunner.domain;

/** One earlier turn of a multi-turn probe (column {@code outputs.turns}; the output's own text is the final turn). */
public record Turn(String text, String reasoning, String finishReason) {
}
