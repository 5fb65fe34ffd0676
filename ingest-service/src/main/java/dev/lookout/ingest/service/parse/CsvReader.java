package dev.lookout.ingest.service.parse;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small streaming RFC 4180 reader: comma-separated, fields optionally in double quotes (a doubled quote
 * inside is one quote, commas and line breaks inside quotes belong to the field), CRLF or LF. One record is
 * held at a time; a record or field longer than {@link #MAX_RECORD_CHARS} is refused so a file without line
 * breaks cannot fill memory (422 naming the record's line; lookout.ingest.max-line-bytes, counted in characters
 * here). (commons-csv would do, but it is not in the BOM and this is all we need.)
 */
final class CsvReader {

    static final int MAX_RECORD_CHARS = LogParsers.Options.DEFAULT_MAX_LINE_BYTES;

    private final Reader in;
    private final int maxRecordChars;
    private long line = 1;
    private long recordLine;
    private int pushedBack = -2;
    private int recordSize;

    CsvReader(Reader in) {
        this(in, MAX_RECORD_CHARS);
    }

    CsvReader(Reader in, int maxRecordChars) {
        this.in = in;
        this.maxRecordChars = maxRecordChars;
    }

    /** The 1-based line on which the record last returned started. */
    long recordLine() {
        return recordLine;
    }

    /** The next record, or null at the end; blank lines are skipped. */
    List<String> next() throws IOException {
        int c = skipBlankLines();
        if (c == -1) {
            return null;
        }
        recordLine = line;
        recordSize = 0;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean wasQuoted = false;
        while (true) {
            countChar();
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r' || c == -1) {
                endRecord(c);
                fields.add(field.toString());
                return fields;
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                wasQuoted = true;
                c = readQuoted(field);
                continue;
            } else if (c == '"') {
                throw new LogParseException(line, "a stray double quote inside an unquoted CSV field", true);
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int skipBlankLines() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') {
            if (c == '\n') {
                line++;
            }
            c = read();
        }
        return c;
    }

    /** Reads a quoted field's content after its opening quote; returns the character after the closing quote. */
    private int readQuoted(StringBuilder field) throws IOException {
        while (true) {
            int c = read();
            countChar();
            if (c == -1) {
                throw new LogParseException(recordLine, "the file ends inside a quoted CSV field", true);
            }
            if (c == '"') {
                int d = read();
                if (d != '"') {
                    return d;
                }
                field.append('"');
            } else {
                if (c == '\n') {
                    line++;
                }
                field.append((char) c);
            }
        }
    }

    /** Consumes a CRLF's LF and counts the line the record ended on. */
    private void endRecord(int c) throws IOException {
        if (c == '\r') {
            int d = read();
            if (d != '\n') {
                unread(d);
            }
        }
        if (c != -1) {
            line++;
        }
    }

    private void countChar() {
        if (++recordSize > maxRecordChars) {
            throw new LogParseException(recordLine, "the CSV record is longer than the limit of " + maxRecordChars
                    + " characters", false);
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        pushedBack = c;
    }

    /** Splits one already-isolated line (for format detection); null if a quote is left open. */
    static List<String> splitLine(String line) {
        try {
            List<String> r = new CsvReader(new java.io.StringReader(line)).next();
            return r == null ? List.of() : r;
        } catch (IOException | LogParseException e) {
            return null;
        }
    }
}
