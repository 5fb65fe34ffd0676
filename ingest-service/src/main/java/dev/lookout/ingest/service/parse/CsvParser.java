package dev.lookout.ingest.service.parse;

import dev.lookout.ingest.service.MetricNames;
import dev.lookout.ingest.service.MetricPoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Streams CSV metric tables, one record at a time:
 * <ul>
 * <li>generic CSV: a header with a step column (one of {@link #STEP_COLUMNS}, any case) and metric columns;
 * empty cells are no value; a header without a step column is refused (422) naming the header;</li>
 * <li>W&amp;B history exports (chart "Download CSV"): a {@code Step} column and {@code "<run> - <metric>"}
 * columns, their {@code __MIN}/{@code __MAX} companions ignored, every value quoted, many cells empty.
 * {@code ?wandbRun=<name>} reads only that run's columns (an unknown name is 422 listing the names); without it a
 * file holding several runs is read as several runs ({@link ParsedLog#runs()}), one holding one run as that run;</li>
 * <li>W&amp;B runs-table exports ({@code Name, State, …} one summary row per run) hold no history and are
 * refused (422) saying so.</li>
 * </ul>
 */
public final class CsvParser {

    static final List<String> STEP_COLUMNS = List.of("step", "global_step", "_step", "trainer/global_step",
            "train/global_step", "iter", "iter_num", "iteration", "current_steps", "steps");

    private static final Set<String> WALL_COLUMNS = Set.of("wall time", "wall_time", "_timestamp", "timestamp");
    private static final Set<String> NOT_METRICS = Set.of("_runtime", "runtime", "epoch_time", "time", "elapsed_time",
            "remaining_time", "percentage", "total_steps", "max_steps");

    private final LogFormat format;
    private final String wandbRun;

    public CsvParser(LogFormat format, String wandbRun) {
        this.format = format;
        this.wandbRun = wandbRun;
    }

    public ParsedLog parse(InputStream in) {
        return parse(in, new ParsedLog(format));
    }

    /** Parses into log (which may hand the points on to a sink instead of keeping them). */
    public ParsedLog parse(InputStream in, ParsedLog log) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CsvReader csv = new CsvReader(new BufferedReader(new InputStreamReader(in, decoder), 1 << 16), log.maxLineBytes());
        try {
            List<String> header = csv.next();
            if (header == null) {
                throw new LogParseException(1, "the body is empty", true);
            }
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            if (isRunsTable(header)) {
                throw new LogParseException(1, "this is a W&B runs-table export: one summary row per run and no "
                        + "per-step history; export a run's history instead (chart menu → Download CSV, or run.history())", false);
            }
            Columns cols = format == LogFormat.WANDB_CSV ? wandbColumns(header, log) : genericColumns(header, log);
            readRows(csv, cols, header.size(), log);
        } catch (CharacterCodingException e) {
            throw new LogParseException(csv.recordLine() + 1, "the body is not UTF-8 text", true);
        } catch (IOException e) {
            throw new LogParseException(csv.recordLine(), "the body could not be read", true);
        }
        return log;
    }

    /** Column roles: the step column, an optional wall-time column, and metric columns with their names. */
    private record Columns(int step, int wall, int[] metric, String[] names, String[] runs) {
    }

    static boolean isRunsTable(List<String> header) {
        Set<String> h = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        h.addAll(header);
        return h.contains("Name") && h.contains("State") && (h.contains("Created") || h.contains("Runtime"))
                && STEP_COLUMNS.stream().noneMatch(s -> header.stream().anyMatch(c -> c.equalsIgnoreCase(s))
                && !s.equals("iter"));
    }

    static boolean isWandbHistory(List<String> header) {
        return header.stream().anyMatch(c -> c.equals("Step")) && header.stream().anyMatch(c -> c.contains(" - "));
    }

    private Columns genericColumns(List<String> header, ParsedLog log) {
        int step = -1;
        for (String candidate : STEP_COLUMNS) {
            for (int i = 0; i < header.size() && step < 0; i++) {
                if (header.get(i).trim().equalsIgnoreCase(candidate)) {
                    step = i;
                }
            }
        }
        if (step < 0) {
            throw new LogParseException(1, "the CSV header has no step column (looked for " + String.join(", ", STEP_COLUMNS)
                    + "); header: " + Values.abbreviate(String.join(",", header)), false);
        }
        int wall = -1;
        List<Integer> metric = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim();
            String lower = h.toLowerCase(Locale.ROOT);
            if (i == step || h.isEmpty()) {
                continue;
            }
            if (WALL_COLUMNS.contains(lower)) {
                wall = i;
            } else if (!NOT_METRICS.contains(lower) && !STEP_COLUMNS.contains(lower)) {
                metric.add(i);
                names.add(MetricNames.normalise(h));
            }
        }
        if (metric.isEmpty()) {
            throw new LogParseException(1, "the CSV header has a step column but no metric columns", false);
        }
        return new Columns(step, wall, metric.stream().mapToInt(Integer::intValue).toArray(), names.toArray(String[]::new), null);
    }

    private Columns wandbColumns(List<String> header, ParsedLog log) {
        int step = header.indexOf("Step");
        if (step < 0) {
            throw new LogParseException(1, "a W&B history export needs a Step column; header: "
                    + Values.abbreviate(String.join(",", header)), false);
        }
        Set<String> runs = new LinkedHashSet<>();
        for (String h : header) {
            int cut = h.lastIndexOf(" - ");
            if (cut > 0 && !h.endsWith("__MIN") && !h.endsWith("__MAX")) {
                runs.add(h.substring(0, cut));
            }
        }
        if (runs.isEmpty()) {
            throw new LogParseException(1, "the W&B export has no \"<run> - <metric>\" columns", false);
        }
        Set<String> chosen;
        if (wandbRun != null && !wandbRun.isBlank()) {
            if (!runs.contains(wandbRun)) {
                throw LogParseException.needsChoice(1, "wandbRun", "run '" + Values.abbreviate(wandbRun)
                        + "' is not in this W&B export; it holds: " + String.join(", ", runs), List.copyOf(runs));
            }
            chosen = Set.of(wandbRun);
        } else {
            chosen = runs;
        }
        boolean several = chosen.size() > 1;
        List<Integer> metric = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> runOf = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            if (h.endsWith("__MIN") || h.endsWith("__MAX")) {
                ignored++;
                continue;
            }
            int cut = h.lastIndexOf(" - ");
            if (cut > 0 && chosen.contains(h.substring(0, cut))) {
                metric.add(i);
                names.add(MetricNames.normalise(h.substring(cut + 3)));
                runOf.add(h.substring(0, cut));
            }
        }
        String minMax = ignored > 0 ? "; " + ignored + " __MIN/__MAX columns ignored" : "";
        if (several) {
            log.note(chosen.size() + " W&B runs: " + String.join(", ", chosen) + minMax);
        } else {
            log.note("W&B run '" + chosen.iterator().next() + "'" + minMax);
        }
        return new Columns(step, -1, metric.stream().mapToInt(Integer::intValue).toArray(), names.toArray(String[]::new),
                several ? runOf.toArray(String[]::new) : null);
    }

    private void readRows(CsvReader csv, Columns cols, int width, ParsedLog log) throws IOException {
        boolean[] textSeen = new boolean[cols.metric().length];
        List<String> row;
        while ((row = csv.next()) != null) {
            long line = csv.recordLine();
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() != width) {
                log.skip(line, "row has " + row.size() + " fields, the header " + width);
                continue;
            }
            String rawStep = row.get(cols.step()).trim();
            OptionalDouble step = Values.parseNumber(rawStep);
            if (rawStep.isEmpty()) {
                log.skip(line, "row without a step");
                continue;
            }
            if (step.isEmpty() || !Steps.isStep(step.getAsDouble())) {
                throw new LogParseException(line, "step is \"" + Values.abbreviate(rawStep) + "\", not a whole number >= 0", false);
            }
            Instant wall = cols.wall() >= 0 ? wallTime(row.get(cols.wall())) : null;
            long s = (long) step.getAsDouble();
            int found = 0;
            for (int k = 0; k < cols.metric().length; k++) {
                String cell = row.get(cols.metric()[k]).trim();
                if (cell.isEmpty()) {
                    continue;
                }
                OptionalDouble v = Values.parseNumber(cell);
                if (v.isEmpty()) {
                    if (!textSeen[k]) {
                        textSeen[k] = true;
                        log.note("column " + cols.names()[k] + " holds text (\"" + Values.abbreviate(cell) + "\" on line "
                                + line + "); its text cells are ignored");
                    }
                    continue;
                }
                MetricPoint point = new MetricPoint(cols.names()[k], s, v.getAsDouble(), wall);
                if (cols.runs() == null) {
                    log.add(point);
                } else {
                    log.add(cols.runs()[k], point);
                }
                found++;
            }
            if (found == 0) {
                log.skip(line, "no metric values");
            }
        }
    }

    private static Instant wallTime(String cell) {
        OptionalDouble d = Values.parseNumber(cell);
        if (d.isEmpty() || !Double.isFinite(d.getAsDouble()) || d.getAsDouble() < 0 || d.getAsDouble() > 1e11) {
            return null;
        }
        double secs = d.getAsDouble();
        return Instant.ofEpochSecond((long) secs, (long) ((secs - Math.floor(secs)) * 1e9));
    }
}
