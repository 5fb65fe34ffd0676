package dev.lookout.ingest.service;

/** A request body that stalled or did not arrive in full in time (answered with 408; nothing is stored). */
public class BodyTooSlowException extends RuntimeException {

    public BodyTooSlowException(String message) {
        super(message);
    }
}
