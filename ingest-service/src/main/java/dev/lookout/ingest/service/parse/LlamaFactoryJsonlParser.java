package dev.lookout.ingest.service.parse;

import dev.lookout.ingest.service.MetricNames;
import dev.lookout.ingest.service.MetricPoint;

import java.io.InputStream;
import java.util.HashMap;
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
        return parse(in, new ParsedLog(LogFormat.LLAMAFACTORY_JSONL));
    }

    /** Parses into log (which may hand the points on to a sink instead of keeping them). */
    public ParsedLog parse(InputStream in, ParsedLog log) {
        Utf8Lines.forEachLine(in, log.maxLineBytes(), (text, lineNo) -> readLine(text, lineNo, log));
        return log;
    }

    private void readLine(String text, long lineNo, ParsedLog log) {
        CurrentStep current = new CurrentStep(lineNo);
        JsonObjectLine.Metrics read = JsonObjectLine.read(text, lineNo, NOT_METRICS, current);
        Map<String, Double> metrics = read.values();
        Double step = current.step;
        if (step == null) {
            log.skip(lineNo, "row without current_steps");
            return;
        }
        if (read.eval()) {
            metrics.remove("epoch");
        }
        if (metrics.isEmpty()) {
            log.skip(lineNo, "no metric values");
            return;
        }
        long s = step.longValue();
        metrics.forEach((k, v) -> log.add(new MetricPoint(names.computeIfAbsent(k, MetricNames::normalise), s, v, null)));
    }

    /** Takes current_steps, which must be a whole number >= 0, away from the metrics. */
    private static final class CurrentStep implements JsonObjectLine.Fields {
        private final long lineNo;
        Double step;

        CurrentStep(long lineNo) {
            this.lineNo = lineNo;
        }

        @Override
        public boolean take(String key, Object value) {
            if (!"current_steps".equals(key)) {
                return false;
            }
            if (!(value instanceof Double d) || !Steps.isStep(d)) {
                throw new LogParseException(lineNo, "current_steps is " + Steps.shown(value) + ", not a non-negative whole number", false);
            }
            step = d;
            return true;
        }
    }
}
