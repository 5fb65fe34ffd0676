package dev.lookout.ingest.service;

import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.service.parse.LogFormat;
import dev.lookout.ingest.service.parse.LogParseException;
import dev.lookout.ingest.service.parse.LogParsers;
import dev.lookout.ingest.service.parse.ParsedLog;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Uploads: the body is parsed while its points are written, in one transaction (whose timeout is
 * lookout.ingest.upload-transaction-timeout-seconds), so memory does not grow with the file and PostgreSQL stores
 * the first points while the rest is read. A file that fails to parse stores nothing: the transaction is rolled
 * back. The run's row lock is held for the whole upload, so appends to the same run wait for it.
 *
 * <p>A W&amp;B export holding several runs (and no {@code ?wandbRun=} choice) is imported as several runs of the
 * URL run's project: the W&amp;B run named like the URL run goes into it, or else the file's first run does; every
 * other W&amp;B run goes into the project's run of the same name, created when missing (labels
 * {@code source=wandb, wandbRun=<name>}, baseline and suite copied from the URL run). All runs are written in one
 * transaction: all or nothing.
 */
@ApplicationScoped
public class LogService {

    /** What an upload stored into one run (a multi-run import has one per W&amp;B run). */
    public record RunReport(UUID runId, String name, String wandbRun, boolean created, long points, Map<String, Long> series,
                            long duplicates, long conflicts) {
    }

    public record UploadReport(String format, long points, Map<String, Long> series, List<ParsedLog.Skipped> skipped,
                               long skippedTotal, long duplicates, long conflicts, List<String> notes, List<RunReport> runs) {
    }

    private final RunService runs;
    private final MetricService metrics;

    public LogService(RunService runs, MetricService metrics) {
        this.runs = runs;
        this.metrics = metrics;
    }

    public UploadReport upload(UUID runId, InputStream body, LogFormat format, LogParsers.Options options, long maxBytes) {
        Run run = runs.require(runId);
        try {
            LogParsers.Opened opened = LogParsers.open(new CappedInputStream(body, maxBytes), format);
            if (opened.format() == LogFormat.WANDB_CSV) {
                return wandb(run, LogParsers.parse(opened, options, null));
            }
            // the parse streams its points into the write: PostgreSQL stores them while the rest of the file is read
            ParsedLog[] parsed = new ParsedLog[1];
            MetricService.AppendResult result = metrics.appendUpload(runId, sink -> {
                ParsedLog log = LogParsers.parse(opened, options, sink);
                if (log.size() == 0) {
                    throw noValues(log);
                }
                parsed[0] = log;
            });
            return report(parsed[0], result);
        } catch (LogParseException e) {
            throw toBadInput(e);
        }
    }

    /** A W&amp;B export is read whole first: whether it becomes one run or several is known only at its end. */
    private UploadReport wandb(Run run, ParsedLog parsed) {
        if (parsed.size() == 0) {
            throw noValues(parsed);
        }
        if (!parsed.runs().isEmpty()) {
            return importRuns(run, parsed);
        }
        return report(parsed, metrics.append(run.id, parsed.points()));
    }

    private static UploadReport report(ParsedLog parsed, MetricService.AppendResult result) {
        return new UploadReport(parsed.format().wireName(), result.stored(), result.storedBySeries(),
                List.copyOf(parsed.skipped()), parsed.skippedTotal(), result.duplicates(), result.conflicts(),
                List.copyOf(parsed.notes()), null);
    }

    private static BadInputException noValues(ParsedLog parsed) {
        return new BadInputException(422, "the log holds no metric values (read as " + parsed.format().wireName() + ")",
                parsed.skipped().stream().limit(20).map(s -> BadInputException.Problem.atLine(s.line(), s.reason())).toList());
    }

    /** One transaction for all runs (joined if the caller has one): creations and appends, all or nothing. */
    UploadReport importRuns(Run urlRun, ParsedLog parsed) {
        return QuarkusTransaction.joiningExisting().call(() -> importRunsInTransaction(urlRun, parsed));
    }

    private UploadReport importRunsInTransaction(Run urlRun, ParsedLog parsed) {
        Map<String, List<MetricPoint>> byName = parsed.runs();
        String intoUrlRun = byName.containsKey(urlRun.name) ? urlRun.name : byName.keySet().iterator().next();
        record Target(Run run, String wandbRun, boolean created, List<MetricPoint> points) {
        }
        List<Target> targets = new ArrayList<>();
        for (var e : byName.entrySet()) {
            if (e.getKey().equals(intoUrlRun)) {
                targets.add(new Target(urlRun, e.getKey(), false, e.getValue()));
                continue;
            }
            Run existing = runs.findInProject(urlRun.project, e.getKey());
            if (existing != null) {
                targets.add(new Target(existing, e.getKey(), false, e.getValue()));
            } else {
                Map<String, Object> labels = new LinkedHashMap<>();
                labels.put("source", "wandb");
                labels.put("wandbRun", e.getKey());
                Run created = runs.create(new RunService.NewRun(urlRun.project, e.getKey(), labels, urlRun.baselineEndpoint,
                        urlRun.baselineModel, urlRun.suite));
                targets.add(new Target(created, e.getKey(), true, e.getValue()));
            }
        }
        // rows are locked in one order (by run id) so that two imports of overlapping runs cannot deadlock
        List<Target> byId = new ArrayList<>(targets);
        byId.sort(Comparator.comparing(t -> t.run().id));
        Map<UUID, MetricService.AppendResult> results = new LinkedHashMap<>();
        for (Target t : byId) {
            results.put(t.run().id, metrics.append(t.run().id, t.points()));
        }
        List<RunReport> reports = new ArrayList<>();
        Map<String, Long> series = new TreeMap<>();
        long stored = 0;
        long duplicates = 0;
        long conflicts = 0;
        for (Target t : targets) {
            MetricService.AppendResult r = results.get(t.run().id);
            reports.add(new RunReport(t.run().id, t.run().name, t.wandbRun(), t.created(), r.stored(), r.storedBySeries(),
                    r.duplicates(), r.conflicts()));
            r.storedBySeries().forEach((k, v) -> series.merge(k, v, Long::sum));
            stored += r.stored();
            duplicates += r.duplicates();
            conflicts += r.conflicts();
        }
        List<String> notes = new ArrayList<>(parsed.notes());
        notes.add("imported as " + targets.size() + " runs: W&B run '" + intoUrlRun + "' into this run, each other one into "
                + "the run of the same name in project " + urlRun.project + " (created when missing); choose one run "
                + "with ?wandbRun=<name> instead");
        return new UploadReport(parsed.format().wireName(), stored, series, List.copyOf(parsed.skipped()), parsed.skippedTotal(),
                duplicates, conflicts, notes, reports);
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
