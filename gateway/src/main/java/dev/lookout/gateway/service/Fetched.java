package dev.lookout.gateway.service;

/**
 * What an optional upstream call gave: a value, {@code NONE} (the service answered that there is nothing, e.g. 404)
 * or {@code FAILED} (it did not answer properly: down, slow, 5xx).
 */
public record Fetched<T>(T value, State state) {

    public enum State { ANSWERED, NONE, FAILED }

    public static <T> Fetched<T> of(T value) {
        return value == null ? none() : new Fetched<>(value, State.ANSWERED);
    }

    public static <T> Fetched<T> none() {
        return new Fetched<>(null, State.NONE);
    }

    public static <T> Fetched<T> failed() {
        return new Fetched<>(null, State.FAILED);
    }

    public boolean answered() {
        return state == State.ANSWERED;
    }
}
