package dev.lookout.review.service;

import java.util.List;

/** Well-formed input that breaks a rule (422), with where it is wrong. */
public class BadInputException extends RuntimeException {
    public record Where(String field, String message) {
    }

    private final List<Where> errors;

    public BadInputException(String message, List<Where> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<Where> errors() {
        return errors;
    }
}
