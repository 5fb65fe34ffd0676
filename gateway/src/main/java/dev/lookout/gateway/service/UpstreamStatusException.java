package dev.lookout.gateway.service;

/** A backend refused the caller (401/403): passed on with the same status. */
public class UpstreamStatusException extends RuntimeException {
    private final int status;

    public UpstreamStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
