package dev.lookout.ingest.service;

/** A sibling service needed to check a request did not answer (503); nothing was stored. */
public class UpstreamUnavailableException extends RuntimeException {

    public UpstreamUnavailableException(String message) {
        super(message);
    }
}
