package dev.lookout.ingest.service.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lookout.ingest.service.MetricNames;
import dev.lookout.ingest.service.MetricPoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Streams a Hugging Face Trainer {@code trainer_state.json}: only {@code log_history} is read, row by
 * row, so memory grows with the points found, never with the file. Train rows, {@code eval_*} rows
 * (their epoch is the train row's and is not stored twice), TRL keys ({@code rewards/*}, {@code logps/*})
 * and bare NaN/Infinity are points; the final summary row is skipped and reported.
 */
public final class TrainerStateParser {

    private static final Set<String> NOT_METRICS = Set.of(
            "step", "total_flos", "train_runtime", "train_samples_per_second", "train_steps_per_second",
            "eval_runtime", "eval_samples_per_second", "eval_steps_per_second", "num_input_tokens_seen",
            "remaining_time", "elapsed_time");

    private final Map<String, String> names = new HashMap<>();

    public ParsedLog parse(InputStream in) {
        return parse(in, new ParsedLog(LogFormat.HF_TRAINER_STATE));
    }

    /** Parses into log (which may hand the points on to a sink instead of keeping them). */
    public ParsedLog parse(InputStream in, ParsedLog log) {
        long line = 1;
        try (JsonParser p = Values.JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new LogParseException(1, "the body is empty", true);
            }
            if (first != JsonToken.START_OBJECT) {
                throw new LogParseException(line(p), "expected a JSON object (trainer_state.json)", false);
            }
            boolean sawHistory = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                line = line(p);
                if ("log_history".equals(field)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new LogParseException(line, "log_history is not an array", false);
                    }
                    sawHistory = true;
                    readHistory(p, log);
                } else {
                    p.skipChildren();
                }
            }
            line = line(p);
            if (p.nextToken() != null) {
                throw new LogParseException(line(p), "unexpected content after the JSON document", true);
            }
            if (!sawHistory) {
                throw new LogParseException(line, "no log_history found: this is not a trainer_state.json", false);
            }
            return log;
        } catch (IOException e) {
            throw Values.syntaxError(e, line);
        }
    }

    private void readHistory(JsonParser p, ParsedLog log) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new LogParseException(line(p), "the file ends inside log_history", true);
            }
            long rowLine = line(p);
            if (t != JsonToken.START_OBJECT) {
                throw new LogParseException(rowLine, "log_history entry is not an object", false);
            }
            readRow(p, rowLine, log);
        }
    }

    private void readRow(JsonParser p, long rowLine, ParsedLog log) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Double step = null;
        boolean stepPresent = false;
        boolean summary = false;
        boolean eval = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            // the value's line is only needed for an error: for a scalar it is still the current token's after reading it
            long keyLine = p.nextToken().isScalarValue() ? -1 : line(p);
            Object v = Values.readValue(p);
            if ("step".equals(key)) {
                stepPresent = true;
                if (!(v instanceof Double d) || !Steps.isStep(d)) {
                    throw new LogParseException(keyLine < 0 ? line(p) : keyLine,
                            "step is " + Steps.shown(v) + ", not a non-negative whole number", false);
                }
                step = d;
                continue;
            }
            if ("train_runtime".equals(key) || "train_loss".equals(key)) {
                summary = true;
            }
            if (key.startsWith("eval_") && v != null) {
                eval = true;
            }
            if (NOT_METRICS.contains(key) || v == null) {
                continue;
            }
            if (v instanceof Values.NotANumber nan) {
                if (Values.KNOWN_METRICS.contains(key)) {
                    throw new LogParseException(keyLine < 0 ? line(p) : keyLine, key + " is " + nan.shown + ", not a number", false);
                }
                continue;
            }
            metrics.put(key, (Double) v);
        }
        if (summary && !metrics.containsKey("loss")) {
            log.skip(rowLine, "training summary row (no per-step metrics)");
            return;
        }
        if (!stepPresent) {
            log.skip(rowLine, "row without step");
            return;
        }
        if (eval) {
            metrics.remove("epoch");
        }
        if (metrics.isEmpty()) {
            log.skip(rowLine, "no metric values");
            return;
        }
        long s = step.longValue();
        metrics.forEach((k, v) -> log.add(new MetricPoint(names.computeIfAbsent(k, MetricNames::normalise), s, v, null)));
    }

    private static long line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
