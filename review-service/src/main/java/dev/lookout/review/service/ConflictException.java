package dev.lookout.review.service;

/** The request is valid but clashes with the current state (409). */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
