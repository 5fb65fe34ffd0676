package dev.lookout.review.service;

/** A resource that does not exist or belongs to a project the caller is not in (both answer 404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
