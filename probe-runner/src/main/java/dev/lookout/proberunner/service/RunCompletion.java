package dev.lookout.proberunner.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.lookout.platform.outbox.EventFields;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.messaging.EventTypes;
import dev.lookout.proberunner.messaging.OutboxWriter;
import dev.lookout.proberunner.notify.ProbeRunFailures;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The end of a probe run whose answers are all in: completed (probe-run.completed, comparison summary) or failed
 * when a target never answered.
 */
@ApplicationScoped
public class RunCompletion {

    private static final Logger LOG = Logger.getLogger(RunCompletion.class);

    private final ProbeRunRepository runs;
    private final OutputRepository outputs;
    private final ComparisonService comparisons;
    private final AdapterLifecycle adapters;
    /** Tells the project's webhooks about failed runs (no probe-run.completed is published for them). */
    private final ProbeRunFailures failures;
    private final OutboxWriter outbox;

    public RunCompletion(ProbeRunRepository runs, OutputRepository outputs, ComparisonService comparisons,
            AdapterLifecycle adapters, ProbeRunFailures failures, OutboxWriter outbox) {
        this.runs = runs;
        this.outputs = outputs;
        this.comparisons = comparisons;
        this.adapters = adapters;
        this.failures = failures;
        this.outbox = outbox;
    }

    /**
     * Finishes a run whose counters {@link CallStore} just brought to the total (that update flipped the status to
     * completed while holding the run row, so this runs exactly once per run): completedAt and the
     * probe-run.completed event, in the caller's transaction. The comparison summary is left to
     * {@link #summarizeAfterCommit} (off the workers' store-then-ack path: chrF over every output of the run would
     * hold the batch's transaction, its acks and the run's visible completion).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeCounted(UUID probeRunId) {
        complete(runs.findById(probeRunId), false);
    }

    /**
     * After the transaction that completed the run committed: computes its comparison summary (cmp_*) on a worker
     * thread. Idempotent (only fills a missing summary); if it never runs (crash), reading the run fills it.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void summarizeAfterCommit(UUID probeRunId) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                fillSummary(probeRunId);
            } catch (RuntimeException e) {
                LOG.warnf("probe run %s: comparison summary failed (filled when the run is read): %s", probeRunId,
                        e.getMessage());
            }
        });
    }

    /** Computes the run's comparison summary and stores it unless one was stored meanwhile (own transaction). */
    OutputComparator.Summary fillSummary(UUID probeRunId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OutputComparator.Summary summary = comparisons.summarizeRun(probeRunId);
            runs.storeSummaryIfMissing(probeRunId, summary.total(), summary.changed(), summary.identical());
            return summary;
        });
    }

    /**
     * Marks the run completed (the caller holds its lock or created it) and writes probe-run.completed once;
     * {@code summarize}: the comparison summary now, in this transaction (runs completed at start or by an import).
     */
    void complete(ProbeRun run, boolean summarize) {
        run.completedAt = Instant.now();
        adapters.ended(run);
        List<RunTarget> targets = run.targets;
        String failure = run.errorCount > 0 ? deadTarget(run.id, targets) : null;
        if (failure != null) {
            // nothing to compare or review: failed with the reason, and no probe-run.completed (no review batch)
            run.status = ProbeRun.FAILED;
            run.failureReason = failure;
            failures.failed(run);
            LOG.warnf("probe run %s failed: %s", run.id, failure);
            return;
        }
        run.status = ProbeRun.COMPLETED;
        if (summarize && targets.size() >= 2) {
            OutputComparator.Summary summary = comparisons.summarizeRun(run.id);
            run.cmpTotal = summary.total();
            run.cmpChanged = summary.changed();
            run.cmpIdentical = summary.identical();
        }
        EventFields event = EventFields.of()
                .with("probeRunId", run.id.toString()).with("runId", ProbeRunStarter.str(run.runId))
                .with("checkpointId", ProbeRunStarter.str(run.checkpointId)).with("step", run.step)
                .with("suiteVersionId", ProbeRunStarter.str(run.suiteVersionId))
                .with("candidate", targets.isEmpty() ? null : targetRef(targets.get(0)))
                .with("baseline", targets.size() < 2 ? null : targetRef(targets.get(1)))
                .with("total", run.total).with("errors", run.errorCount);
        outbox.append(EventTypes.PROBE_RUN_COMPLETED, run.project, event);
        LOG.infof("probe run %s completed: %d done, %d errors", run.id, run.doneCount, run.errorCount);
    }

    /**
     * The first target of the run none of whose calls succeeded, described with the first error stored for it; null
     * when every target has at least one answer.
     */
    private String deadTarget(UUID probeRunId, List<RunTarget> targets) {
        for (OutputRepository.TargetTally r : outputs.tallyByTarget(probeRunId)) {
            if (r.total() > 0 && r.done() == 0 && r.targetIndex() < targets.size()) {
                RunTarget t = targets.get(r.targetIndex());
                return "every call to the " + (t.label() == null ? "target" : t.label()) + " (endpoint '"
                        + t.endpoint() + "', model '" + t.model() + "') failed (" + r.total() + " of " + r.total()
                        + "); first error: " + (r.firstError() == null ? "none recorded" : r.firstError());
            }
        }
        return null;
    }

    private static EventFields targetRef(RunTarget t) {
        return EventFields.of().with("endpoint", t.endpoint()).with("model", t.model());
    }
}
