package dev.lookout.ingest.service.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Detects the format of an uploaded log from its first line and hands the stream to the right parser.
 * Only the first line (at most {@link #PEEK_LIMIT} bytes) is buffered for detection.
 */
public final class LogParsers {

    static final int PEEK_LIMIT = 1 << 20;

    private LogParsers() {
    }

    /** @param requested null for auto-detection */
    public static ParsedLog parse(InputStream body, LogFormat requested) {
        BufferedInputStream in = new BufferedInputStream(body, 1 << 16);
        LogFormat format = requested != null ? requested : detect(in);
        return switch (format) {
            case HF_TRAINER_STATE -> new TrainerStateParser().parse(in);
            case LLAMAFACTORY_JSONL -> new LlamaFactoryJsonlParser().parse(in);
        };
    }

    /** Reads the first line and resets the stream to its start. */
    static LogFormat detect(BufferedInputStream in) {
        byte[] first;
        try {
            in.mark(PEEK_LIMIT + 1);
            first = firstLine(in);
            in.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int i = 0;
        if (first.length >= 3 && (first[0] & 0xff) == 0xEF && (first[1] & 0xff) == 0xBB && (first[2] & 0xff) == 0xBF) {
            i = 3;
        }
        while (i < first.length && Character.isWhitespace(first[i])) {
            i++;
        }
        if (i >= first.length) {
            if (first.length == 0) {
                throw new LogParseException(1, "the body is empty", true);
            }
            // A blank first line: a pretty-printed JSON document is the only format we know that allows it.
            return LogFormat.HF_TRAINER_STATE;
        }
        if (first[i] != '{') {
            throw new LogParseException(1, "unrecognised log format: the file does not start with a JSON object "
                    + "(supported: hf-trainer-state, llamafactory-jsonl)", false);
        }
        try (JsonParser p = Values.JSON.createParser(first, i, first.length - i)) {
            p.nextToken();
            boolean hasSteps = false;
            boolean hasHistory = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                hasSteps |= "current_steps".equals(name);
                hasHistory |= "log_history".equals(name);
                p.nextToken();
                p.skipChildren();
            }
            if (hasSteps) {
                return LogFormat.LLAMAFACTORY_JSONL;
            }
            if (hasHistory) {
                return LogFormat.HF_TRAINER_STATE;
            }
            throw new LogParseException(1, "unrecognised log format: line 1 is a JSON object with neither "
                    + "current_steps (llamafactory-jsonl) nor log_history (hf-trainer-state)", false);
        } catch (IOException e) {
            // The first line is not a complete object: a pretty-printed JSON document.
            return LogFormat.HF_TRAINER_STATE;
        }
    }

    private static byte[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while (out.size() < PEEK_LIMIT && (b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            out.write(b);
        }
        return out.toByteArray();
    }
}
