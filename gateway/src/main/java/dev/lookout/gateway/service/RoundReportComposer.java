package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.service.RoundReport.Behaviour;
import dev.lookout.gateway.service.RoundReport.CheckpointRow;
import dev.lookout.gateway.service.RoundReport.Loss;
import dev.lookout.gateway.service.RoundReport.RunSummary;
import dev.lookout.gateway.service.RoundReport.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Composes the round report from what the three backends said (pure: no I/O). An empty Optional means that
 * service did not answer; the report then says so instead of failing.
 */
public final class RoundReportComposer {

    static final String PROBE_RUNNER_DOWN = "probe-runner did not answer, so behaviour changes are not shown.";
    static final String REVIEW_DOWN = "review-service did not answer, so human verdicts are not shown.";
    static final String NO_CHECKPOINTS = "No checkpoints are registered for this run yet.";

    private RoundReportComposer() {
    }

    public static RoundReport compose(RunView run, List<CheckpointView> checkpoints,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts) {
        List<String> missing = new ArrayList<>();
        if (probeRuns.isEmpty()) {
            missing.add(PROBE_RUNNER_DOWN);
        }
        if (verdicts.isEmpty()) {
            missing.add(REVIEW_DOWN);
        }
        List<CheckpointView> ordered = new ArrayList<>(checkpoints == null ? List.of() : checkpoints);
        ordered.removeIf(Objects::isNull);
        ordered.sort(Comparator.comparing(CheckpointView::step, Comparator.nullsLast(Comparator.naturalOrder())));
        if (ordered.isEmpty()) {
            missing.add(NO_CHECKPOINTS);
        }
        List<CheckpointRow> rows = new ArrayList<>(ordered.size());
        for (CheckpointView checkpoint : ordered) {
            rows.add(row(checkpoint, probeRuns, verdicts));
        }
        RunSummary summary = new RunSummary(run.id(), run.name(), run.project(), run.baseline());
        return new RoundReport(summary, rows, missing);
    }

    static CheckpointRow row(CheckpointView checkpoint, Optional<List<ProbeRunView>> probeRuns,
            Optional<List<VerdictView>> verdicts) {
        List<String> missing = new ArrayList<>();
        Loss loss = new Loss(checkpoint.trainLoss(), checkpoint.trainLossDelta(), checkpoint.evalLoss(),
                checkpoint.evalLossDelta());
        if (checkpoint.trainLoss() == null && checkpoint.evalLoss() == null) {
            missing.add("No loss is recorded at or before step " + checkpoint.step() + " yet.");
        }

        Behaviour behaviour = null;
        if (probeRuns.isEmpty()) {
            missing.add("Behaviour unknown: probe-runner did not answer.");
        } else {
            Optional<ProbeRunView> probeRun = latestProbeRun(checkpoint.id(), probeRuns.get());
            if (probeRun.isEmpty()) {
                missing.add("No probe run for this checkpoint yet.");
            } else {
                ProbeRunView p = probeRun.get();
                behaviour = new Behaviour(p.id(), p.status(),
                        p.comparison() != null && p.comparison().total() != null ? p.comparison().total() : p.total(),
                        p.comparison() == null ? null : p.comparison().changed(),
                        p.comparison() == null ? null : p.comparison().shareChanged());
                if (p.comparison() == null) {
                    missing.add("The probe run is " + (p.status() == null ? "not finished" : p.status())
                            + "; the behaviour change is known once it completes.");
                }
            }
        }

        Verdict verdict = null;
        if (verdicts.isEmpty()) {
            missing.add("Verdict unknown: review-service did not answer.");
        } else {
            Optional<VerdictView> found = verdicts.get().stream()
                    .filter(v -> v != null && Objects.equals(v.checkpointId(), checkpoint.id()))
                    .max(Comparator.comparing(v -> n(v.votes())));
            if (found.isEmpty()) {
                missing.add("No human verdict yet: the changed answers still need review.");
            } else {
                VerdictView v = found.get();
                verdict = new Verdict(n(v.wins()), n(v.ties()), n(v.losses()), n(v.bothBad()), n(v.votes()),
                        v.winRate(), v.low(), v.high(), Boolean.TRUE.equals(v.decided()));
                if (n(v.votes()) == 0) {
                    missing.add("No votes yet: the changed answers still need review.");
                }
            }
        }
        return new CheckpointRow(checkpoint.id(), checkpoint.step(), checkpoint.label(), checkpoint.target(), loss,
                behaviour, verdict, missing);
    }

    /** The newest completed probe run of the checkpoint, else the newest one of any status. */
    static Optional<ProbeRunView> latestProbeRun(String checkpointId, List<ProbeRunView> probeRuns) {
        Comparator<ProbeRunView> newest = Comparator.comparing(ProbeRunView::createdAt,
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder()));
        List<ProbeRunView> ofCheckpoint = probeRuns.stream()
                .filter(p -> p != null && checkpointId != null && checkpointId.equals(p.checkpointId()))
                .toList();
        Optional<ProbeRunView> completed = ofCheckpoint.stream()
                .filter(p -> "completed".equals(p.status())).max(newest);
        return completed.isPresent() ? completed : ofCheckpoint.stream().max(newest);
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
