package dev.lookout.review.client;

/** probe-runner (or the token endpoint) failed in a way a retry may fix. */
public class ProbeRunnerUnavailableException extends RuntimeException {
    public ProbeRunnerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
