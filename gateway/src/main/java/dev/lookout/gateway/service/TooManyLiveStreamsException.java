package dev.lookout.gateway.service;

/** A user already holds as many open live streams as allowed (answered 429). */
public class TooManyLiveStreamsException extends RuntimeException {

    private final int limit;

    public TooManyLiveStreamsException(int limit) {
        super("You already have " + limit + " live streams open (the limit per user); close a tab or try again later.");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
