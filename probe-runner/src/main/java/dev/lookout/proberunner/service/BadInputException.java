package dev.lookout.proberunner.service;

import java.util.List;

/** Input that parsed but makes no sense: 422 (or 400 when {@code status} says so), with where it went wrong. */
public class BadInputException extends RuntimeException {

    public record Problem(String field, String message) {
    }

    private final int status;
    private final List<Problem> problems;

    public BadInputException(int status, String message, List<Problem> problems) {
        super(message);
        this.status = status;
        this.problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public static BadInputException field(String field, String message) {
        return new BadInputException(422, field + ": " + message, List.of(new Problem(field, message)));
    }

    public int status() {
        return status;
    }

    public List<Problem> problems() {
        return problems;
    }
}
