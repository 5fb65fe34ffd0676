package dev.lookout.ingest.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * points = points stored; series = stored per series; skipped lists at most 1000 lines (skippedTotal counts all);
 * notes = what the parser wants the uploader to know about the file as a whole (a summary object skipped,
 * steps inferred, columns ignored). runs is present only when a W&amp;B export was imported as several runs; the
 * totals above then sum over them.
 */
public record UploadReportResponse(String format, long points, Map<String, Long> series, List<SkippedLine> skipped,
                                   long skippedTotal, long duplicates, long conflicts, List<String> notes,
                                   @JsonInclude(JsonInclude.Include.NON_NULL) List<RunImport> runs) {

    public record SkippedLine(long line, String reason) {
    }

    /** One run of a multi-run import (W&amp;B export with several runs): where it went and what was stored. */
    public record RunImport(UUID runId, String name, String wandbRun, boolean created, long points, Map<String, Long> series,
                            long duplicates, long conflicts) {
    }
}
