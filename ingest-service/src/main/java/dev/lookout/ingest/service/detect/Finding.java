package dev.lookout.ingest.service.detect;

import java.util.List;

/** What a detector found; stored as an alarm keyed by (run, kind, series, fromStep). */
public record Finding(String kind, Severity severity, String series, long fromStep, long toStep, String message,
                      List<SeriesPoint> evidence) {
}
