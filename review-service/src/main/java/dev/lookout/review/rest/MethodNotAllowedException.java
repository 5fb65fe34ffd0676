package dev.lookout.review.rest;

/** The path exists but not for this method (405); {@code allow} names the methods that are. */
public class MethodNotAllowedException extends RuntimeException {

    private final String allow;

    public MethodNotAllowedException(String allow, String message) {
        super(message);
        this.allow = allow;
    }

    public String allow() {
        return allow;
    }
}
