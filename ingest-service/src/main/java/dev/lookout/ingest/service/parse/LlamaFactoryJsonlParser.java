package dev.lookout.ingest.service.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lookout.ingest.service.MetricNames;
import dev.lookout.ingest.service.MetricPoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Streams a LLaMA-Factory {@code trainer_log.jsonl}, one JSON object per line: {@code current_steps},
 * {@code loss}, {@code eval_loss}, {@code lr} or {@code learning_rate}, {@code epoch}, extra keys such as
 * {@code accuracy}. Keys present with null are no value; numbers written as strings are numbers;
 * progress keys (percentage, elapsed/remaining time, throughput, tokens) are not metrics.
 */
public final class LlamaFactoryJsonlParser {

    private static final Set<String> NOT_METRICS = Set.of(
            "current_steps", "total_steps", "percentage", "elapsed_time", "remaining_time", "throughput",
            "total_tokens");

    private final Map<String, String> names = new HashMap<>();

    public ParsedLog parse(InputStream in) {
        ParsedLog log = new ParsedLog(LogFormat.LLAMAFACTORY_JSONL);
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long lineNo = 0;
        boolean any = false;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                any = true;
                readLine(line, lineNo, log);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new LogParseException(lineNo + 1, "the body is not UTF-8 text", true);
        } catch (IOException e) {
            throw Values.syntaxError(e, lineNo);
        }
        if (!any) {
            throw new LogParseException(1, "the body is empty", true);
        }
        return log;
    }

    private void readLine(String text, long lineNo, ParsedLog log) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Double step = null;
        boolean eval = false;
        try (JsonParser p = Values.JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new LogParseException(lineNo, "line is not a JSON object", false);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                Object v = Values.readValue(p);
                if ("current_steps".equals(key)) {
                    if (!(v instanceof Double d) || !Steps.isStep(d)) {
                        throw new LogParseException(lineNo, "current_steps is " + Steps.shown(v) + ", not a non-negative whole number", false);
                    }
                    step = d;
                    continue;
                }
                if (NOT_METRICS.contains(key) || v == null) {
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
        if (step == null) {
            log.skip(lineNo, "row without current_steps");
            return;
        }
        if (eval) {
            metrics.remove("epoch");
        }
        if (metrics.isEmpty()) {
            log.skip(lineNo, "no metric values");
            return;
        }
        long s = step.longValue();
        metrics.forEach((k, v) -> log.add(new MetricPoint(names.computeIfAbsent(k, MetricNames::normalise), s, v, null)));
    }
}
