package dev.lookout.ingest.rest;

import java.util.List;
import java.util.Map;

/**
 * points = points stored; series = stored per series; skipped lists at most 1000 lines (skippedTotal counts all);
 * notes = what the parser wants the uploader to know about the file as a whole (a summary object skipped,
 * steps inferred, columns ignored).
 */
public record UploadReportResponse(String format, long points, Map<String, Long> series, List<SkippedLine> skipped,
                                   long skippedTotal, long duplicates, long conflicts, List<String> notes) {

    public record SkippedLine(long line, String reason) {
    }
}
