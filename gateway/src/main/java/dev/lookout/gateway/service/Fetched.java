package dev.lookout.gateway.service;

/**
 * What an optional upstream call gave: a value, {@code NONE} (the service answered that there is nothing, e.g. 404),
 * {@code FAILED} (it did not answer properly: down, slow, 5xx) or {@code HIDDEN} (not asked: the caller is a reviewer
 * and an open review batch covers it, or review-service could not say that none does).
 */
public record Fetched<T>(T value, State state) {

    public enum State { ANSWERED, NONE, FAILED, HIDDEN }

    public static <T> Fetched<T> of(T value) {
        return value == null ? none() : new Fetched<>(value, State.ANSWERED);
    }

    public static <T> Fetched<T> none() {
        return new Fetched<>(null, State.NONE);
    }

    public static <T> Fetched<T> failed() {
        return new Fetched<>(null, State.FAILED);
    }

    public static <T> Fetched<T> hidden() {
        return new Fetched<>(null, State.HIDDEN);
    }

    public boolean answered() {
        return state == State.ANSWERED;
    }
}
