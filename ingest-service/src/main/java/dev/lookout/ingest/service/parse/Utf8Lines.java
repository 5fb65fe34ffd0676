package dev.lookout.ingest.service.parse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a byte stream line by line and decodes each line as strict UTF-8 on its own, so bad bytes are
 * reported on the line they are on (a Reader over the whole stream fails on its first buffer instead).
 */
final class Utf8Lines {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
    private final int maxLineBytes;
    private long line;

    /** @param maxLineBytes a longer line fails the read (422 naming it) before more of it is buffered */
    Utf8Lines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** What a line-based parser does with one non-blank line. */
    @FunctionalInterface
    interface LineHandler {
        void line(String text, long lineNo);
    }

    /** Hands every non-blank line with its 1-based number to {@code handler}; a body without one is "empty". */
    static void forEachLine(InputStream in, int maxLineBytes, LineHandler handler) {
        Utf8Lines lines = new Utf8Lines(in, maxLineBytes);
        long lineNo = 0;
        boolean any = false;
        try {
            String line;
            while ((line = lines.next()) != null) {
                lineNo = lines.line();
                if (line.isBlank()) {
                    continue;
                }
                any = true;
                handler.line(line, lineNo);
            }
        } catch (IOException e) {
            throw Values.syntaxError(e, lineNo);
        }
        if (!any) {
            throw new LogParseException(1, "the body is empty", true);
        }
    }

    /** A line (or CSV record) over the limit: the file is refused (422) naming it; nothing is stored. */
    static LogParseException tooLong(long lineNo, int max) {
        return new LogParseException(lineNo, "the line is longer than the limit of " + max + " bytes", false);
    }

    /** 1-based number of the line last returned. */
    long line() {
        return line;
    }

    /** The next line without its terminator (a trailing \r is dropped), or null at the end. */
    String next() throws IOException {
        buf.reset();
        int b;
        boolean any = false;
        while ((b = in.read()) != -1) {
            any = true;
            if (b == '\n') {
                break;
            }
            if (buf.size() > maxLineBytes) {
                throw tooLong(line + 1, maxLineBytes);
            }
            buf.write(b);
        }
        if (!any) {
            return null;
        }
        line++;
        byte[] bytes = buf.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        int off = line == 1 && len >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, off, len - off)).toString();
        } catch (CharacterCodingException e) {
            throw new LogParseException(line, "line " + line + " is not UTF-8 text", true);
        }
    }
}
