package dev.lookout.ingest.service.parse;

import java.util.List;

/**
 * A log that cannot be read as the format it claims to be. {@code line} is 1-based (0 when unknown);
 * binary formats name a byte {@code offset} instead (-1 when none); {@code syntax} tells a broken file
 * (400) from a well-formed file of the wrong shape (422). {@code field} names a query parameter or a
 * column when that is where the problem is; {@code choices} lists valid values (W&amp;B run names).
 */
public class LogParseException extends RuntimeException {

    private final long line;
    private final long offset;
    private final boolean syntax;
    private final String field;
    private final List<String> choices;

    public LogParseException(long line, String reason, boolean syntax) {
        this(line, -1, reason, syntax, null, List.of());
    }

    private LogParseException(long line, long offset, String reason, boolean syntax, String field, List<String> choices) {
        super(reason);
        this.line = line;
        this.offset = offset;
        this.syntax = syntax;
        this.field = field;
        this.choices = List.copyOf(choices);
    }

    /** A broken binary file (400), located by the byte offset of the record. */
    public static LogParseException atOffset(long offset, String reason) {
        return new LogParseException(0, offset, reason, true, null, List.of());
    }

    /** A readable file that needs a choice the request did not make (422), e.g. ?wandbRun=. */
    public static LogParseException needsChoice(long line, String field, String reason, List<String> choices) {
        return new LogParseException(line, -1, reason, false, field, choices);
    }

    public long line() {
        return line;
    }

    public long offset() {
        return offset;
    }

    public boolean syntax() {
        return syntax;
    }

    public String field() {
        return field;
    }

    public List<String> choices() {
        return choices;
    }
}
