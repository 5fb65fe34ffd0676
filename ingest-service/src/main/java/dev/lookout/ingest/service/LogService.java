package dev.lookout.ingest.service;

import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.repository.MetricRepository;
import dev.lookout.ingest.service.parse.LogFormat;
import dev.lookout.ingest.service.parse.LogParseException;
import dev.lookout.ingest.service.parse.LogParsers;
import dev.lookout.ingest.service.parse.ParsedLog;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * back. The run's row lock is held for the whole upload, so appends to the same run wait for it; the caller bounds
 * that by handing in a {@link TimedInputStream}. A W&amp;B export is spooled to a temporary file and checked before
 * anything is locked, then streamed from the file.
 *
 * <p>A W&amp;B export holding several runs (and no {@code ?wandbRun=} choice) is imported as several runs of the
 * URL run's project: the W&amp;B run named like the URL run goes into it, or else the file's first run does; every
 * other W&amp;B run goes into the project's run of the same name, created when missing (labels
 * {@code source=wandb, wandbRun=<name>}, baseline and suite copied from the URL run). All runs are written in one
 * transaction: all or nothing.
 */
@ApplicationScoped
public class LogService {

    private static final Logger LOG = Logger.getLogger(LogService.class);

    /** What an upload stored into one run (a multi-run import has one per W&amp;B run). */
    public record RunReport(UUID runId, String name, String wandbRun, boolean created, long points, Map<String, Long> series,
                            long duplicates, long conflicts) {
    }

    public record UploadReport(String format, long points, Map<String, Long> series, List<ParsedLog.Skipped> skipped,
                               long skippedTotal, long duplicates, long conflicts, List<String> notes, List<RunReport> runs) {
    }

    private static final PointSink DISCARD = (name, step, value, wall) -> { };

    private final RunService runs;
    private final MetricService metrics;
    private final IngestConfig config;

    public LogService(RunService runs, MetricService metrics, IngestConfig config) {
        this.runs = runs;
        this.metrics = metrics;
        this.config = config;
    }

    public UploadReport upload(UUID runId, InputStream body, LogFormat format, LogParsers.Options options, long maxBytes) {
        Run run = runs.require(runId);
        try {
            LogParsers.Opened opened = LogParsers.open(new CappedInputStream(body, maxBytes), format);
            if (opened.format() == LogFormat.WANDB_CSV) {
                return wandb(run, opened, options);
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

    /**
     * A W&amp;B export is spooled to a temporary file first (the body is read before any transaction or row lock), then
     * checked whole without storing anything (it may hold several runs: only its end tells which have values), then
     * streamed into the database: in one pass for one run, in one pass per W&amp;B run for several. Memory stays
     * bounded; disk holds at most lookout.ingest.max-upload-bytes per upload, deleted at the end.
     */
    private UploadReport wandb(Run run, LogParsers.Opened opened, LogParsers.Options options) {
        Path spool = null;
        try {
            spool = Files.createTempFile("lookout-wandb-", ".csv");
            Files.copy(opened.in(), spool, StandardCopyOption.REPLACE_EXISTING);
            ParsedLog checked = parseSpool(spool, options, DISCARD, (r, p) -> { });
            if (checked.size() == 0) {
                throw noValues(checked);
            }
            if (!checked.runPointCounts().isEmpty()) {
                return importRuns(run, checked, spool, options);
            }
            Path file = spool;
            return report(checked, metrics.appendUpload(run.id, sink -> parseSpool(file, options, sink, null)));
        } catch (IOException e) {
            throw new UncheckedIOException("spooling a W&B export failed", e);
        } finally {
            deleteQuietly(spool);
        }
    }

    private static ParsedLog parseSpool(Path spool, LogParsers.Options options, PointSink sink, ParsedLog.RunSink runSink) {
        try (InputStream in = Files.newInputStream(spool)) {
            return LogParsers.parse(new LogParsers.Opened(LogFormat.WANDB_CSV, new BufferedInputStream(in, 1 << 16)), options,
                    sink, runSink);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a spooled W&B export failed", e);
        }
    }

    private static void deleteQuietly(Path spool) {
        if (spool == null) {
            return;
        }
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            LOG.warnf("could not delete the spooled upload %s: %s", spool, e.getMessage());
        }
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

    /**
     * One transaction for all runs (joined if the caller has one; timeout lookout.ingest.upload-transaction-timeout-seconds):
     * creations and appends, all or nothing. Each run's points are streamed from the spooled file in a pass of their own.
     */
    UploadReport importRuns(Run urlRun, ParsedLog checked, Path spool, LogParsers.Options options) {
        return QuarkusTransaction.joiningExisting().timeout(config.uploadTransactionTimeoutSeconds())
                .call(() -> importRunsInTransaction(urlRun, checked, spool, options));
    }

    private record Target(Run run, String wandbRun, boolean created) {
    }

    private UploadReport importRunsInTransaction(Run urlRun, ParsedLog parsed, Path spool, LogParsers.Options options) {
        Map<String, Long> byName = parsed.runPointCounts();
        String intoUrlRun = byName.containsKey(urlRun.name) ? urlRun.name : byName.keySet().iterator().next();
        List<Target> targets = new ArrayList<>();
        for (String name : byName.keySet()) {
            targets.add(name.equals(intoUrlRun) ? new Target(urlRun, name, false) : target(urlRun, name));
        }
        // rows are locked in one order (by run id) so that two imports of overlapping runs cannot deadlock
        List<Target> byId = new ArrayList<>(targets);
        byId.sort(Comparator.comparing(t -> t.run().id));
        Map<UUID, MetricService.AppendResult> results = new LinkedHashMap<>();
        for (Target t : byId) {
            results.put(t.run().id, metrics.append(t.run().id, sink -> parseSpool(spool, options, DISCARD, (run, p) -> {
                if (run.equals(t.wandbRun())) {
                    sink.add(p.name(), p.step(), p.value(), MetricRepository.micros(p.wallTime()));
                }
            })));
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

    /** The project's run named like the W&amp;B run, created (and announced) when missing. */
    private Target target(Run urlRun, String name) {
        Run existing = runs.findInProject(urlRun.project, name);
        if (existing != null) {
            return new Target(existing, name, false);
        }
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("source", "wandb");
        labels.put("wandbRun", name);
        Run created = runs.create(new RunService.NewRun(urlRun.project, name, labels, urlRun.baselineEndpoint,
                urlRun.baselineModel, urlRun.suite));
        return new Target(created, name, true);
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
