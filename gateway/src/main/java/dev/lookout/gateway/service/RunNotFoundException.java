package dev.lookout.gateway.service;

/** The run does not exist or the caller may not see it (the two are indistinguishable on purpose). */
public class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String run) {
        super("Run " + run + " was not found.");
    }
}
