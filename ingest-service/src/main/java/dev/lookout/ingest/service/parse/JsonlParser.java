package dev.lookout.ingest.service.parse;

import dev.lookout.ingest.service.MetricNames;
import dev.lookout.ingest.service.MetricPoint;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams JSON Lines metric logs, one object per line with a step key and numeric metric keys:
 * <ul>
 * <li>ms-swift {@code logging.jsonl}: {@code global_step/max_steps} as {@code "1/438"} (3.x) or
 * {@code global_step} (2.x), every row possibly written twice by two processes (the duplicates are counted
 * by the store), and a last line that is the whole run summary with a nested {@code log_history}, which is
 * skipped and reported (its rows repeat the lines above);</li>
 * <li>generic JSONL: the first of {@link #STEP_KEYS} present is the step; other numeric keys are
 * metrics, strings that read as numbers too; progress and timing keys are not metrics.</li>
 * </ul>
 */
public final class JsonlParser {

    /** Step keys in order of preference. */
    static final List<String> STEP_KEYS = List.of("global_step/max_steps", "global_step", "step", "_step",
            "trainer/global_step", "train/global_step", "iter", "iter_num", "iteration", "current_steps");

    private static final Set<String> NOT_METRICS = Set.of(
            "max_steps", "total_steps", "percentage", "elapsed_time", "remaining_time", "train_speed(iter/s)",
            "throughput", "total_tokens", "num_input_tokens_seen", "total_flos", "train_runtime",
            "train_samples_per_second", "train_steps_per_second", "eval_runtime", "eval_samples_per_second",
            "eval_steps_per_second", "_runtime", "_timestamp", "timestamp", "time", "wall_time");

    private final LogFormat format;
    private final Map<String, String> names = new HashMap<>();

    public JsonlParser(LogFormat format) {
        this.format = format;
    }

    public ParsedLog parse(InputStream in) {
        return parse(in, new ParsedLog(format));
    }

    /** Parses into log (which may hand the points on to a sink instead of keeping them). */
    public ParsedLog parse(InputStream in, ParsedLog log) {
        Utf8Lines.forEachLine(in, log.maxLineBytes(), (text, lineNo) -> readLine(text, lineNo, log));
        return log;
    }

    private void readLine(String text, long lineNo, ParsedLog log) {
        LineKeys keys = new LineKeys();
        JsonObjectLine.Metrics read = JsonObjectLine.read(text, lineNo, NOT_METRICS, keys);
        Map<String, Double> metrics = read.values();
        if (keys.history) {
            log.skip(lineNo, "run summary object (its nested log_history repeats the rows above)");
            log.note("line " + lineNo + " is the run's summary object with a nested log_history; it was skipped "
                    + "because its rows repeat the lines above");
            return;
        }
        if (keys.summary && !metrics.containsKey("loss")) {
            log.skip(lineNo, "training summary row (no per-step metrics)");
            return;
        }
        Long step = step(keys.steps, lineNo);
        if (step == null) {
            log.skip(lineNo, "row without a step (looked for " + String.join(", ", STEP_KEYS) + ")");
            return;
        }
        if (read.eval()) {
            metrics.remove("epoch");
        }
        if (metrics.isEmpty()) {
            log.skip(lineNo, "no metric values");
            return;
        }
        long s = step;
        metrics.forEach((k, v) -> log.add(new MetricPoint(names.computeIfAbsent(k, MetricNames::normalise), s, v, null)));
    }

    /** The step keys of a line, and whether it is a run summary (with or without a nested log_history). */
    private static final class LineKeys implements JsonObjectLine.Fields {
        final Map<String, Object> steps = new HashMap<>();
        boolean summary;
        boolean history;

        @Override
        public boolean take(String key, Object value) {
            if ("log_history".equals(key)) {
                history = true;
            }
            if (STEP_KEYS.contains(key)) {
                steps.put(key, value);
                return true;
            }
            if ("train_runtime".equals(key) || "train_loss".equals(key)) {
                summary = true;
            }
            return false;
        }
    }

    private static Long step(Map<String, Object> steps, long lineNo) {
        for (String key : STEP_KEYS) {
            if (!steps.containsKey(key)) {
                continue;
            }
            Object v = steps.get(key);
            if (v == null) {
                continue;
            }
            if (v instanceof Values.NotANumber n && "global_step/max_steps".equals(key)) {
                // "1/438": the raw string is in the shown form "\"1/438\"".
                String raw = n.shown.replace("\"", "");
                int slash = raw.indexOf('/');
                String head = slash > 0 ? raw.substring(0, slash).trim() : raw;
                var d = Values.parseNumber(head);
                if (d.isPresent() && Steps.isStep(d.getAsDouble())) {
                    return (long) d.getAsDouble();
                }
            } else if (v instanceof Double d && Steps.isStep(d)) {
                return d.longValue();
            }
            throw new LogParseException(lineNo, key + " is " + Steps.shown(v) + ", not a step (a whole number >= 0"
                    + ("global_step/max_steps".equals(key) ? " or \"step/max\"" : "") + ")", false);
        }
        return null;
    }
}
