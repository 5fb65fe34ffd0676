package dev.lookout.ingest.service.parse;

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
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams plain-text training stdout line by line. Recognised lines:
 * <ul>
 * <li>HF Trainer printed dicts with Python literals: {@code {'loss': 2.31, 'grad_norm': nan, 'epoch': 0.1}}
 * (possibly after a tqdm bar on the same line). They carry no step: the step is the {@code 'step'} key if
 * present, else the last tqdm {@code N/M} counter seen, else the row's ordinal (reported as a note);</li>
 * <li>nanoGPT: {@code iter 100: loss 2.3100, time …} (train/loss) and
 * {@code step 200: train loss X, val loss Y} (eval/train_loss and eval/loss: both are estimates over eval
 * batches);</li>
 * <li>key/value lines such as {@code step 100 | loss 2.31 | lr 1e-4} or {@code ep: 0, batch: 20, loss: 10.98}:
 * a step key ({@link #STEP_KEYS}) and at least one metric-like key (loss, norm, lr, acc, ppl, reward).</li>
 * </ul>
 * Everything else (progress bars, warnings, tracebacks) is skipped and counted. {@code [rankN]:} prefixes
 * are removed. Undecodable bytes are replaced, so a stray binary line is just a skipped line.
 */
public final class TextLogParser {

    private static final Pattern RANK_PREFIX = Pattern.compile("^\\[rank\\d+]:\\s?");
    private static final Pattern NANOGPT_ITER = Pattern.compile("^\\s*iter (\\d+): loss ([-+0-9.eEnaNinf]+)");
    private static final Pattern NANOGPT_EVAL = Pattern.compile(
            "^\\s*step (\\d+): train loss ([-+0-9.eEnaNinf]+), val loss ([-+0-9.eEnaNinf]+)");
    private static final Pattern TQDM = Pattern.compile("\\|\\s*(\\d+)/(\\d+)\\s*\\[");
    private static final String NUMBER = "[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?(?i:nan|inf(?:inity)?)";
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?<![\\w/.])([A-Za-z_][\\w/.]*)\\s*(?:[:=]\\s*|\\s+)(" + NUMBER + ")(?=$|[\\s,|;:)\\]])");
    private static final Pattern TRACEBACK = Pattern.compile(
            "^(Traceback \\(most recent call last\\)|\\s+File \".*\", line \\d+|\\s*\\^+\\s*$|[A-Za-z_.]*(Error|Exception|Interrupt)\\b)");

    static final Set<String> STEP_KEYS = Set.of("step", "global_step", "iter", "iteration", "it", "batch", "steps");
    private static final Set<String> NOT_METRICS = Set.of("train_runtime", "train_samples_per_second",
            "train_steps_per_second", "total_flos", "eval_runtime", "eval_samples_per_second", "eval_steps_per_second");

    private final Map<String, String> names = new HashMap<>();
    private long lastTqdmStep = -1;
    private long ordinal;
    private boolean ordinalNoted;

    public ParsedLog parse(InputStream in) {
        return parse(in, new ParsedLog(LogFormat.TEXT));
    }

    /** Parses into log (which may hand the points on to a sink instead of keeping them). */
    public ParsedLog parse(InputStream in, ParsedLog log) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        long lineNo = 0;
        boolean any = false;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16)) {
            String line;
            while ((line = readLine(reader, log.maxLineBytes())) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                any = true;
                readLine(RANK_PREFIX.matcher(line).replaceFirst(""), lineNo, log);
            }
        } catch (IOException e) {
            throw new LogParseException(lineNo + 1, "the body could not be read", true);
        }
        if (!any) {
            throw new LogParseException(1, "the body is empty", true);
        }
        return log;
    }

    /** A line of at most max characters (longer lines are cut: their tail is not a metric line either). */
    private static String readLine(BufferedReader reader, int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = reader.read()) != -1) {
            if (c == '\n') {
                return sb.toString();
            }
            if (sb.length() < max) {
                sb.append((char) c);
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private void readLine(String line, long lineNo, ParsedLog log) {
        Matcher tq = TQDM.matcher(line);
        while (tq.find()) {
            lastTqdmStep = Long.parseLong(tq.group(1));
        }
        int dict = line.indexOf("{'");
        if (dict >= 0) {
            readDict(line.substring(dict), lineNo, log);
            return;
        }
        Matcher m = NANOGPT_ITER.matcher(line);
        if (m.find()) {
            long step = Long.parseLong(m.group(1));
            if (!addValue(log, MetricNames.TRAIN_LOSS, step, m.group(2))) {
                log.skip(lineNo, "loss is not a number");
            }
            return;
        }
        m = NANOGPT_EVAL.matcher(line);
        if (m.find()) {
            long step = Long.parseLong(m.group(1));
            addValue(log, "eval/train_loss", step, m.group(2));
            addValue(log, MetricNames.EVAL_LOSS, step, m.group(3));
            return;
        }
        if (readKeyValues(line, log)) {
            return;
        }
        log.skip(lineNo, TRACEBACK.matcher(line).find() ? "traceback or error output" : "not a metrics line");
    }

    private boolean addValue(ParsedLog log, String name, long step, String raw) {
        OptionalDouble v = Values.parseNumber(raw);
        if (v.isEmpty()) {
            return false;
        }
        log.add(new MetricPoint(name, step, v.getAsDouble(), null));
        return true;
    }

    private boolean readKeyValues(String line, ParsedLog log) {
        Matcher m = KEY_VALUE.matcher(line);
        Long step = null;
        Map<String, Double> metrics = new LinkedHashMap<>();
        while (m.find()) {
            String key = m.group(1);
            String lower = key.toLowerCase(Locale.ROOT);
            OptionalDouble v = Values.parseNumber(m.group(2));
            if (v.isEmpty()) {
                continue;
            }
            if (STEP_KEYS.contains(lower)) {
                if (step == null && Steps.isStep(v.getAsDouble())) {
                    step = (long) v.getAsDouble();
                }
            } else if (isMetricKey(lower)) {
                metrics.putIfAbsent("ep".equals(lower) ? "epoch" : key, v.getAsDouble());
            }
        }
        if (step == null || metrics.keySet().stream().allMatch(k -> k.equalsIgnoreCase("epoch"))) {
            return false;
        }
        long s = step;
        metrics.forEach((k, v) -> log.add(new MetricPoint(names.computeIfAbsent(k, MetricNames::normalise), s, v, null)));
        return true;
    }

    static boolean isMetricKey(String lower) {
        return lower.contains("loss") || lower.contains("norm") || lower.equals("lr") || lower.contains("learning_rate")
                || lower.contains("acc") || lower.contains("ppl") || lower.contains("perplexity")
                || lower.contains("reward") || lower.equals("epoch") || lower.equals("ep");
    }

    private void readDict(String text, long lineNo, ParsedLog log) {
        Map<String, Object> dict = PythonDict.parse(text);
        if (dict == null) {
            log.skip(lineNo, "unreadable printed dict");
            return;
        }
        if (dict.containsKey("train_runtime")) {
            log.skip(lineNo, "training summary dict (no per-step metrics)");
            return;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean eval = false;
        Long step = null;
        for (var e : dict.entrySet()) {
            String key = e.getKey();
            if ("step".equals(key) || "global_step".equals(key)) {
                if (e.getValue() instanceof Double d && Steps.isStep(d)) {
                    step = d.longValue();
                }
                continue;
            }
            if (NOT_METRICS.contains(key) || !(e.getValue() instanceof Double d)) {
                continue;
            }
            eval |= key.startsWith("eval_");
            metrics.put(key, d);
        }
        if (eval) {
            metrics.remove("epoch");
        }
        if (metrics.isEmpty()) {
            log.skip(lineNo, "printed dict without metric values");
            return;
        }
        if (step == null) {
            if (lastTqdmStep >= 0) {
                step = lastTqdmStep;
            } else {
                if (!eval) {
                    ordinal++;
                }
                step = Math.max(ordinal, 1);
                if (!ordinalNoted) {
                    ordinalNoted = true;
                    log.note("the printed dicts carry no step and no progress bar was found: steps are the order of "
                            + "the logged rows (1, 2, 3, …), not trainer steps");
                }
            }
        }
        long s = step;
        metrics.forEach((k, v) -> log.add(new MetricPoint(names.computeIfAbsent(k, MetricNames::normalise), s, v, null)));
    }

    /** Python dict literals as printed by HF Trainer: 'keys', numbers, nan/inf, 'strings', True/False/None. */
    static final class PythonDict {
        private final String s;
        private int i;

        private PythonDict(String s) {
            this.s = s;
        }

        /** Values are Double, String, Boolean or null; nested containers are skipped. Null when unreadable. */
        static Map<String, Object> parse(String text) {
            try {
                return new PythonDict(text).dict();
            } catch (RuntimeException e) {
                return null;
            }
        }

        private Map<String, Object> dict() {
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            ws();
            if (peek() == '}') {
                i++;
                return out;
            }
            while (true) {
                ws();
                String key = string();
                ws();
                expect(':');
                ws();
                out.put(key, value());
                ws();
                char c = s.charAt(i++);
                if (c == '}') {
                    return out;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or }");
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '{' || c == '[' || c == '(') {
                skipNested();
                return null;
            }
            int start = i;
            while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String raw = s.substring(start, i).trim();
            switch (raw) {
                case "None":
                    return null;
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                default:
                    OptionalDouble d = Values.parseNumber(raw);
                    if (d.isEmpty()) {
                        // tensor(2.31) and friends: read the number inside the parentheses.
                        int open = raw.indexOf('(');
                        if (open > 0 && raw.endsWith(")")) {
                            d = Values.parseNumber(raw.substring(open + 1, raw.length() - 1).split(",")[0]);
                        }
                    }
                    return d.isPresent() ? (Object) d.getAsDouble() : raw;
            }
        }

        private void skipNested() {
            int depth = 0;
            do {
                char c = s.charAt(i++);
                if (c == '{' || c == '[' || c == '(') {
                    depth++;
                } else if (c == '}' || c == ']' || c == ')') {
                    depth--;
                } else if (c == '\'' || c == '"') {
                    i--;
                    string();
                }
            } while (depth > 0);
        }

        private String string() {
            char q = s.charAt(i++);
            if (q != '\'' && q != '"') {
                throw new IllegalArgumentException("expected a quoted key");
            }
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '\\') {
                    sb.append(s.charAt(i++));
                } else if (c == q) {
                    return sb.toString();
                } else {
                    sb.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            return s.charAt(i);
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
        }
    }
}
