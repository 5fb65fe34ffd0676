package dev.lookout.ingest.service;

/** Missing, or in a project the caller may not see (both answer 404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
