package dev.lookout.ingest.service.parse;

import dev.lookout.ingest.repository.MetricRepository;
import dev.lookout.ingest.service.MetricPoint;
import dev.lookout.ingest.service.PointSink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parser read: the points, the lines it skipped with the reason (the first {@link #MAX_SKIPPED_KEPT}
 * kept, all counted, so a 200 MB stdout of progress bars does not fill memory) and notes about the file
 * as a whole (a summary object skipped, steps inferred, columns ignored).
 */
public final class ParsedLog {

    public record Skipped(long line, String reason) {
    }

    public static final int MAX_SKIPPED_KEPT = 1000;

    private final LogFormat format;
    private final List<MetricPoint> points = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, List<MetricPoint>> runs = new LinkedHashMap<>();
    private long skippedTotal;

    private final PointSink sink;
    private long streamed;
    private RunSink runSink;
    private final Map<String, Long> runCounts = new LinkedHashMap<>();

    /** Receives the points of a file holding several runs (a multi-run W&amp;B export) instead of {@link #runs()}. */
    @FunctionalInterface
    public interface RunSink {
        void add(String run, MetricPoint point);
    }

    private final int maxLineBytes;

    public ParsedLog(LogFormat format) {
        this(format, null, LogParsers.Options.DEFAULT_MAX_LINE_BYTES);
    }

    /** Points go straight to the sink (not kept in {@link #points()}); a multi-run W&amp;B file still keeps {@link #runs()}. */
    public ParsedLog(LogFormat format, PointSink sink) {
        this(format, sink, LogParsers.Options.DEFAULT_MAX_LINE_BYTES);
    }

    /** @param maxLineBytes the longest line (or CSV record) the line-based parsers accept */
    public ParsedLog(LogFormat format, PointSink sink, int maxLineBytes) {
        this.format = format;
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    /** The longest line (bytes; characters for a CSV record) the line-based parsers accept. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    public LogFormat format() {
        return format;
    }

    public List<MetricPoint> points() {
        return points;
    }

    /** The first {@link #MAX_SKIPPED_KEPT} skipped lines. */
    public List<Skipped> skipped() {
        return skipped;
    }

    public long skippedTotal() {
        return skippedTotal;
    }

    public List<String> notes() {
        return notes;
    }

    /**
     * The points of each run of a file that holds several (a W&amp;B export with several runs, no run chosen), in the
     * file's order; empty otherwise, when {@link #points()} holds everything.
     */
    public Map<String, List<MetricPoint>> runs() {
        return runs;
    }

    /**
     * Hands the points of a several-runs file to runSink as they are read, so that {@link #runs()} stays empty and
     * memory does not grow with the file ({@link #runPointCounts()} still counts them).
     */
    public ParsedLog streamRuns(RunSink runSink) {
        this.runSink = runSink;
        return this;
    }

    /** Points per run of a file that holds several, in the order each run's first point was read; empty otherwise. */
    public Map<String, Long> runPointCounts() {
        return runCounts;
    }

    /** All points, whether of one run or of several. */
    public long size() {
        long n = points.size() + streamed;
        for (long c : runCounts.values()) {
            n += c;
        }
        return n;
    }

    void add(String run, MetricPoint point) {
        runCounts.merge(run, 1L, Long::sum);
        if (runSink != null) {
            runSink.add(run, point);
        } else {
            runs.computeIfAbsent(run, k -> new ArrayList<>()).add(point);
        }
    }

    void add(MetricPoint point) {
        if (sink == null) {
            points.add(point);
        } else {
            streamed++;
            sink.add(point.name(), point.step(), point.value(), MetricRepository.micros(point.wallTime()));
        }
    }

    void skip(long line, String reason) {
        skippedTotal++;
        if (skipped.size() < MAX_SKIPPED_KEPT) {
            skipped.add(new Skipped(line, reason));
        }
    }

    void note(String note) {
        if (!notes.contains(note) && notes.size() < 50) {
            notes.add(note);
        }
    }
}
