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
                               long skippedTotal, long duplicates, long conflicts) {
    }

    static final int MAX_SKIPPED_LISTED = 1000;

    private final RunService runs;
    private final MetricService metrics;

    public LogService(RunService runs, MetricService metrics) {
        this.runs = runs;
        this.metrics = metrics;
    }

    public UploadReport upload(UUID runId, InputStream body, LogFormat format, long maxBytes) {
        runs.require(runId);
        ParsedLog parsed;
        try {
            parsed = LogParsers.parse(new CappedInputStream(body, maxBytes), format);
        } catch (LogParseException e) {
            throw new BadInputException(e.syntax() ? 400 : 422, "the log could not be read: " + e.getMessage()
                    + (e.line() > 0 ? " (line " + e.line() + ")" : ""),
                    List.of(BadInputException.Problem.atLine(e.line(), e.getMessage())));
        }
        if (parsed.points().isEmpty()) {
            throw new BadInputException(422, "the log holds no metric values", parsed.skipped().stream().limit(20)
                    .map(s -> BadInputException.Problem.atLine(s.line(), s.reason())).toList());
        }
        MetricService.AppendResult result = metrics.append(runId, parsed.points());
        List<ParsedLog.Skipped> skipped = parsed.skipped().size() > MAX_SKIPPED_LISTED
                ? parsed.skipped().subList(0, MAX_SKIPPED_LISTED) : parsed.skipped();
        return new UploadReport(parsed.format().wireName(), result.stored(), result.storedBySeries(), List.copyOf(skipped),
                parsed.skipped().size(), result.duplicates(), result.conflicts());
    }
}
