package dev.lookout.proberunner.rest;

/** One earlier turn of a multi-turn probe (the output's own text is the final turn). */
public record TurnDto(String text, String reasoning, String finishReason) {
}
