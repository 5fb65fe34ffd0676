package dev.lookout.ingest.service;

import dev.lookout.ingest.service.parse.LogFormat;
import dev.lookout.ingest.service.parse.LogParseException;
import dev.lookout.ingest.service.parse.LogParsers;
import dev.lookout.ingest.service.parse.ParsedLog;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Uploads: parse the whole stream first (outside any transaction, memory bounded by the points found),
 * then store everything in one transaction. A file that fails to parse stores nothing.
 */
@ApplicationScoped
public class LogService {

    public record UploadReport(String format, long points, Map<String, Long> series, List<ParsedLog.Skipped> skipped,
                               long skippedTotal, long duplicates, long conflicts, List<String> notes) {
    }

    private final RunService runs;
    private final MetricService metrics;

    public LogService(RunService runs, MetricService metrics) {
        this.runs = runs;
        this.metrics = metrics;
    }

    public UploadReport upload(UUID runId, InputStream body, LogFormat format, LogParsers.Options options, long maxBytes) {
        runs.require(runId);
        ParsedLog parsed;
        try {
            parsed = LogParsers.parse(new CappedInputStream(body, maxBytes), format, options);
        } catch (LogParseException e) {
            throw toBadInput(e);
        }
        if (parsed.points().isEmpty()) {
            throw new BadInputException(422, "the log holds no metric values (read as " + parsed.format().wireName() + ")",
                    parsed.skipped().stream().limit(20).map(s -> BadInputException.Problem.atLine(s.line(), s.reason())).toList());
        }
        MetricService.AppendResult result = metrics.append(runId, parsed.points());
        return new UploadReport(parsed.format().wireName(), result.stored(), result.storedBySeries(),
                List.copyOf(parsed.skipped()), parsed.skippedTotal(), result.duplicates(), result.conflicts(),
                List.copyOf(parsed.notes()));
    }

    static BadInputException toBadInput(LogParseException e) {
        BadInputException.Problem where;
        String at;
        if (e.offset() >= 0) {
            where = BadInputException.Problem.atOffset(e.offset(), e.getMessage());
            at = "";
        } else if (e.field() != null) {
            where = new BadInputException.Problem(e.field(), e.line() > 0 ? e.line() : null, null, null, e.getMessage());
            at = "";
        } else {
            where = BadInputException.Problem.atLine(e.line(), e.getMessage());
            at = e.line() > 0 ? " (line " + e.line() + ")" : "";
        }
        return new BadInputException(e.syntax() ? 400 : 422, "the log could not be read: " + e.getMessage() + at, List.of(where));
    }
}
