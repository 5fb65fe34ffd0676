package dev.lookout.ingest.service.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lookout.ingest.service.PointSink;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Detects the format of an uploaded log from its first bytes and hands the stream to the right parser.
 * At most the first two lines ({@link #PEEK_LIMIT} bytes) are buffered for detection:
 * <ol>
 * <li>a valid TFRecord length CRC in bytes 0–11 → tfevents;</li>
 * <li>NUL bytes or invalid UTF-8 → not a log we know (422);</li>
 * <li>a JSON object on line 1: {@code current_steps} → llamafactory-jsonl; {@code log_history} →
 * hf-trainer-state; {@code global_step/max_steps} or {@code train_speed(iter/s)} → ms-swift-jsonl; another
 * step key → jsonl; an object spread over several lines → hf-trainer-state;</li>
 * <li>a CSV header (≥ 2 fields, no colon, line 2 as wide) → wandb-csv when it has {@code Step} and
 * {@code "<run> - <metric>"} columns, else csv;</li>
 * <li>anything else that is text → text (stdout).</li>
 * </ol>
 */
public final class LogParsers {

    static final int PEEK_LIMIT = 1 << 20;

    /**
     * What the request adds to the file: the W&amp;B run to import from a multi-run export, and the longest line
     * accepted (lookout.ingest.max-line-bytes).
     */
    public record Options(String wandbRun, int maxLineBytes) {
        public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
        public static final Options NONE = new Options(null);

        public Options(String wandbRun) {
            this(wandbRun, DEFAULT_MAX_LINE_BYTES);
        }
    }

    private LogParsers() {
    }

    /** @param requested null for auto-detection */
    public static ParsedLog parse(InputStream body, LogFormat requested) {
        return parse(body, requested, Options.NONE);
    }

    /** @param requested null for auto-detection */
    public static ParsedLog parse(InputStream body, LogFormat requested, Options options) {
        return parse(open(body, requested), options, null);
    }

    /** A body whose format is known (requested or detected from its first lines), positioned at its start. */
    public record Opened(LogFormat format, InputStream in) {
    }

    /** Detects the format (unless requested) without consuming the body. */
    public static Opened open(InputStream body, LogFormat requested) {
        BufferedInputStream in = new BufferedInputStream(body, 1 << 16);
        return new Opened(requested != null ? requested : detect(in), in);
    }

    /** Parses an opened body; with a sink the points go there as they are read instead of being kept. */
    public static ParsedLog parse(Opened opened, Options options, PointSink sink) {
        return parse(opened, options, sink, null);
    }

    /**
     * As {@link #parse(Opened, Options, PointSink)}; with a runSink the points of a file holding several runs go
     * there as they are read instead of being kept in {@link ParsedLog#runs()}.
     */
    public static ParsedLog parse(Opened opened, Options options, PointSink sink, ParsedLog.RunSink runSink) {
        LogFormat format = opened.format();
        InputStream in = opened.in();
        ParsedLog log = new ParsedLog(format, sink, options.maxLineBytes()).streamRuns(runSink);
        return switch (format) {
            case HF_TRAINER_STATE -> new TrainerStateParser().parse(in, log);
            case LLAMAFACTORY_JSONL -> new LlamaFactoryJsonlParser().parse(in, log);
            case MS_SWIFT_JSONL, JSONL -> new JsonlParser(format).parse(in, log);
            case CSV, WANDB_CSV -> new CsvParser(format, options.wandbRun()).parse(in, log);
            case TEXT -> new TextLogParser().parse(in, log);
            case TFEVENTS -> new TfEventsParser().parse(in, log);
        };
    }

    /** Reads the first two lines and resets the stream to its start. */
    static LogFormat detect(BufferedInputStream in) {
        byte[] head;
        try {
            in.mark(PEEK_LIMIT + 1);
            head = peek(in);
            in.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (head.length == 0) {
            throw new LogParseException(1, "the body is empty", true);
        }
        if (head.length >= 12 && TfEventsParser.maskedCrc32c(head, 0, 8)
                == ByteBuffer.wrap(head, 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()) {
            return LogFormat.TFEVENTS;
        }
        String text = decode(head);
        List<String> lines = text.lines().limit(2).toList();
        String first = lines.isEmpty() ? "" : lines.get(0);
        String trimmed = first.strip();
        if (trimmed.isEmpty()) {
            // A blank first line: a pretty-printed JSON document is the only format we know that allows it.
            return text.isBlank() ? emptyOrBlank() : LogFormat.HF_TRAINER_STATE;
        }
        if (trimmed.charAt(0) == '{') {
            return detectJson(trimmed);
        }
        if (isJsonArray(trimmed)) {
            throw new LogParseException(1, "unrecognised log format: a JSON array (supported: " + LogFormat.wireNames() + ")", false);
        }
        if (isCsvHeader(first, lines.size() > 1 ? lines.get(1) : null)) {
            return CsvParser.isWandbHistory(CsvReader.splitLine(first)) ? LogFormat.WANDB_CSV : LogFormat.CSV;
        }
        return LogFormat.TEXT;
    }

    /** "[", "[{…" or a whole JSON array on the line; "[INFO|…]" and "[rank0]: …" are text. */
    private static boolean isJsonArray(String line) {
        if (line.equals("[") || line.startsWith("[{") || line.startsWith("[[")) {
            return true;
        }
        if (line.charAt(0) != '[') {
            return false;
        }
        try (JsonParser p = Values.JSON.createParser(line)) {
            p.nextToken();
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static LogFormat emptyOrBlank() {
        throw new LogParseException(1, "the body holds only blank lines", true);
    }

    private static LogFormat detectJson(String line) {
        if (line.startsWith("{'")) {
            return LogFormat.TEXT;
        }
        try (JsonParser p = Values.JSON.createParser(line)) {
            p.nextToken();
            Set<String> keys = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            if (keys.contains("current_steps")) {
                return LogFormat.LLAMAFACTORY_JSONL;
            }
            if (keys.contains("global_step/max_steps") || keys.contains("train_speed(iter/s)")) {
                return LogFormat.MS_SWIFT_JSONL;
            }
            if (keys.contains("log_history")) {
                return LogFormat.HF_TRAINER_STATE;
            }
            if (JsonlParser.STEP_KEYS.stream().anyMatch(keys::contains)) {
                return LogFormat.JSONL;
            }
            throw new LogParseException(1, "unrecognised log format: line 1 is a JSON object with no step key (looked "
                    + "for current_steps, log_history, " + String.join(", ", JsonlParser.STEP_KEYS) + ")", false);
        } catch (IOException e) {
            // The first line is not a complete object: a pretty-printed JSON document.
            return LogFormat.HF_TRAINER_STATE;
        }
    }

    /** At least two fields, none with a colon (stdout lines have them), and the second line as wide. */
    static boolean isCsvHeader(String first, String second) {
        List<String> header = CsvReader.splitLine(first);
        if (header == null || header.size() < 2 || header.stream().anyMatch(h -> h.contains(":") || h.isBlank() && header.size() == 2)) {
            return false;
        }
        if (second == null) {
            return true;
        }
        List<String> row = CsvReader.splitLine(second);
        // null: a quoted field that goes on past the line (or never ends: the CSV parser will say where).
        return row == null || row.size() == header.size();
    }

    /**
     * The first line must be strict UTF-8 without NUL bytes (a sequence cut by the peek limit is fine), or the
     * body is binary; the second line is only a hint and decoded leniently (its parser reports bad bytes by line).
     */
    private static String decode(byte[] head) {
        int start = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF ? 3 : 0;
        int nl = start;
        while (nl < head.length && head[nl] != '\n') {
            if (head[nl] == 0) {
                throw binary();
            }
            nl++;
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(head, start, nl - start);
        CharBuffer out = CharBuffer.allocate(nl - start + 1);
        var result = decoder.decode(bytes, out, true);
        boolean cutAtEnd = head.length >= PEEK_LIMIT && nl == head.length && nl - bytes.position() < 4;
        if (result.isError() && !cutAtEnd) {
            throw binary();
        }
        out.flip();
        String rest = nl < head.length ? new String(head, nl, head.length - nl, StandardCharsets.UTF_8) : "";
        return out + rest;
    }

    private static LogParseException binary() {
        return new LogParseException(1, "unrecognised log format: binary data that is not a TensorBoard event file "
                + "(supported: " + LogFormat.wireNames() + ")", false);
    }

    /** The first two lines, at most PEEK_LIMIT bytes. */
    private static byte[] peek(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = 0;
        int b;
        while (out.size() < PEEK_LIMIT && (b = in.read()) != -1) {
            out.write(b);
            if (b == '\n' && ++lines == 2) {
                break;
            }
        }
        return out.toByteArray();
    }

}
