package dev.lookout.ingest.service.parse;

import dev.lookout.ingest.service.MetricPoint;

import java.util.ArrayList;
import java.util.List;

/** What a parser read: the points, and the lines it skipped with the reason. */
public final class ParsedLog {

    public record Skipped(long line, String reason) {
    }

    private final LogFormat format;
    private final List<MetricPoint> points = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();

    public ParsedLog(LogFormat format) {
        this.format = format;
    }

    public LogFormat format() {
        return format;
    }

    public List<MetricPoint> points() {
        return points;
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    void add(MetricPoint point) {
        points.add(point);
    }

    void skip(long line, String reason) {
        skipped.add(new Skipped(line, reason));
    }
}
