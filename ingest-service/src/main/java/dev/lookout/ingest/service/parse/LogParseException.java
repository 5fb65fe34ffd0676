package dev.lookout.ingest.service.parse;

/**
 * A log that cannot be read as the format it claims to be. {@code line} is 1-based (0 when unknown);
 * {@code syntax} tells a broken file (400) from a well-formed file of the wrong shape (422).
 */
public class LogParseException extends RuntimeException {

    private final long line;
    private final boolean syntax;

    public LogParseException(long line, String reason, boolean syntax) {
        super(reason);
        this.line = line;
        this.syntax = syntax;
    }

    public long line() {
        return line;
    }

    public boolean syntax() {
        return syntax;
    }
}
