package dev.lookout.ingest.service.parse;

import dev.lookout.ingest.service.MetricPoint;

import java.util.ArrayList;
import java.util.List;

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
    private long skippedTotal;

    public ParsedLog(LogFormat format) {
        this.format = format;
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

    void add(MetricPoint point) {
        points.add(point);
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
