package dev.lookout.ingest.service.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The field loop the JSON Lines parsers share: reads one line as a single JSON object and collects its numeric
 * metrics in order. Each format sees every field first (its step keys, its markers); fields it does not take
 * are metrics unless listed as not metrics or null. A not-a-number value of a well-known metric is an error,
 * of any other key it is dropped; content after the object and malformed JSON are errors of the line.
 */
final class JsonObjectLine {

    /** Sees each field before it is treated as a metric; returns true to take it (a step, say) away from the metrics. */
    @FunctionalInterface
    interface Fields {
        boolean take(String key, Object value);
    }

    /** The line's metrics in order, and whether any was an {@code eval_} metric. */
    record Metrics(Map<String, Double> values, boolean eval) {
    }

    private JsonObjectLine() {
    }

    static Metrics read(String text, long lineNo, Set<String> notMetrics, Fields fields) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean eval = false;
        try (JsonParser p = Values.JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new LogParseException(lineNo, "line is not a JSON object", false);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                Object v = Values.readValue(p);
                if (fields.take(key, v) || notMetrics.contains(key) || v == null) {
                    continue;
                }
                if (v instanceof Values.NotANumber nan) {
                    if (Values.KNOWN_METRICS.contains(key)) {
                        throw new LogParseException(lineNo, key + " is " + nan.shown + ", not a number", false);
                    }
                    continue;
                }
                if (key.startsWith("eval_")) {
                    eval = true;
                }
                metrics.put(key, (Double) v);
            }
            if (p.nextToken() != null) {
                throw new LogParseException(lineNo, "unexpected content after the JSON object", true);
            }
        } catch (IOException e) {
            throw Values.syntaxError(e, lineNo);
        }
        return new Metrics(metrics, eval);
    }
}
