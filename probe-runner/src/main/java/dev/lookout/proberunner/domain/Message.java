package dev.lookout.proberunner.domain;

/** One chat message of a probe: role system, user or assistant. */
public record Message(String role, String content) {
}
