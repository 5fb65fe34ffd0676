package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.AlarmView;
import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.ChecksView;
import dev.lookout.gateway.client.UpstreamViews.ComparisonView;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.ReusedView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.NamedCheckView;
import dev.lookout.gateway.client.UpstreamViews.StockPhraseView;
import dev.lookout.gateway.client.UpstreamViews.StrengthView;
import dev.lookout.gateway.client.UpstreamViews.Target;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.service.RoundReport.Alarm;
import dev.lookout.gateway.service.RoundReport.Behaviour;
import dev.lookout.gateway.service.RoundReport.BehaviourTag;
import dev.lookout.gateway.service.RoundReport.CheckpointRow;
import dev.lookout.gateway.service.RoundReport.Checks;
import dev.lookout.gateway.service.RoundReport.Flag;
import dev.lookout.gateway.service.RoundReport.Loss;
import dev.lookout.gateway.service.RoundReport.NamedCheck;
import dev.lookout.gateway.service.RoundReport.Notice;
import dev.lookout.gateway.service.RoundReport.Recommendation;
import dev.lookout.gateway.service.RoundReport.Reused;
import dev.lookout.gateway.service.RoundReport.RunSummary;
import dev.lookout.gateway.service.RoundReport.StockPhrase;
import dev.lookout.gateway.service.RoundReport.Strength;
import dev.lookout.gateway.service.RoundReport.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Composes the round report from what the three backends said (pure: no I/O). An empty Optional means that
 * service did not answer; the report then says so instead of failing.
 */
public final class RoundReportComposer {

    static final String PROBE_RUNNER_DOWN = "probe-runner did not answer, so behaviour changes are not shown.";
    static final String REVIEW_DOWN = "review-service did not answer, so human verdicts are not shown.";
    static final String NO_CHECKPOINTS = "No checkpoints are registered for this run yet.";
    static final String ALARMS_DOWN = "ingest-service did not return the alarms, so alarms and the memorising flag"
            + " are not shown.";

    /** loss-fell-behaviour-flat: train loss fell by more than this share (5 %) ... */
    static final double LOSS_FELL_SHARE = 0.05;
    /** ... while fewer than this share (10 %) of the probe answers changed. */
    static final double BEHAVIOUR_FLAT_SHARE = 0.10;
    /** loss-fell-humans-prefer-baseline: the verdict's interval lies entirely below this win rate. */
    static final double PREFER_BASELINE_HIGH = 0.5;
    /** loss-flat-outputs-drifting: |train loss change| below this share (2 %) ... */
    static final double LOSS_FLAT_SHARE = 0.02;
    /** ... while at least this share (30 %) of the probe answers changed. */
    static final double DRIFTING_SHARE = 0.30;
    /** memorising: alarm kinds that point at memorising. */
    static final Set<String> MEMORISING_ALARMS = Set.of("too-fast-drop", "overfitting");

    /** memorising: at most this many phrases are named in the message and the evidence. */
    static final int PHRASES_SHOWN = 5;

    static final String HIDDEN_FROM_REVIEWERS = "Check pass rates and stock phrases are hidden from reviewers while a"
            + " review batch covering this checkpoint is open.";
    static final String AGAINST_BASE = "base";
    static final String AGAINST_PREVIOUS = "previous";

    static final String LOSS_FELL_BEHAVIOUR_FLAT = "loss-fell-behaviour-flat";
    static final String LOSS_FELL_HUMANS_PREFER_BASELINE = "loss-fell-humans-prefer-baseline";
    static final String MEMORISING = "memorising";
    static final String LOSS_FLAT_OUTPUTS_DRIFTING = "loss-flat-outputs-drifting";
    static final String NO_HUMAN_SIGNAL_YET = "no-human-signal-yet";
    static final String GENERALISES_BEST = "generalises-best";
    static final String OVERFITTING = "overfitting";

    static final String NO_SUITE_CODE = "no-suite";
    static final String NO_SUITE = "Checkpoints of this run will not be probed: the run names no suite. Set one with"
            + " PATCH /api/runs/{run} {\"suite\": \"<suite name>\"}; checkpoints registered after that are probed"
            + " (earlier ones can be probed with POST /api/probe-runs).";
    static final String NOT_PROBED_NO_SUITE = "Not probed: the run names no suite (see the run's notice).";

    /**
     * Flags that must never stand on the same row, each pair in order of precedence: the first one stays, the
     * second is dropped (and the row says why). Eval loss bottoming here beats a train-loss memorising hint; the
     * other pairs exclude each other by their thresholds and are listed to keep it that way.
     */
    static final List<List<String>> CONTRADICTING = List.of(
            List.of(GENERALISES_BEST, MEMORISING),
            List.of(LOSS_FELL_BEHAVIOUR_FLAT, LOSS_FLAT_OUTPUTS_DRIFTING),
            List.of(LOSS_FELL_HUMANS_PREFER_BASELINE, NO_HUMAN_SIGNAL_YET));

    private RoundReportComposer() {
    }

    /** The comparisons fetched for the rows, by checkpoint id: against the base and against the previous checkpoint. */
    public record RowComparisons(Map<String, Fetched<ComparisonView>> base,
            Map<String, Fetched<ComparisonView>> previous) {

        public static final RowComparisons NONE = new RowComparisons(Map.of(), Map.of());

        Fetched<ComparisonView> base(String checkpointId) {
            return checkpointId == null ? null : base.get(checkpointId);
        }

        Fetched<ComparisonView> previous(String checkpointId) {
            return checkpointId == null ? null : previous.get(checkpointId);
        }
    }

    /**
     * One comparison to ask probe-runner for: against the base ({@code probeRunId} set) or against the previous
     * checkpoint ({@code suiteVersion}, {@code candidate}, {@code baseline} as {@code endpoint/model}).
     */
    public record ComparisonRequest(String checkpointId, boolean vsPrevious, String probeRunId, String suiteVersion,
            String candidate, String baseline) {
    }

    /**
     * The comparisons the report needs (pure): for every checkpoint whose newest probe run completed, its comparison
     * with the base; and, from the second checkpoint on, this checkpoint's target against the previous checkpoint's
     * target on the same suite version as this checkpoint's probe run.
     */
    public static List<ComparisonRequest> comparisonsToFetch(List<CheckpointView> checkpoints,
            List<ProbeRunView> probeRuns) {
        List<ComparisonRequest> requests = new ArrayList<>();
        CheckpointView previous = null;
        for (CheckpointView checkpoint : inStepOrder(checkpoints)) {
            Optional<ProbeRunView> probeRun = latestProbeRun(checkpoint.id(), probeRuns);
            if (probeRun.isPresent() && "completed".equals(probeRun.get().status())) {
                ProbeRunView p = probeRun.get();
                requests.add(new ComparisonRequest(checkpoint.id(), false, p.id(), null, null, null));
                if (previous != null && previous.target() != null && checkpoint.target() != null
                        && p.suiteVersionId() != null) {
                    requests.add(new ComparisonRequest(checkpoint.id(), true, null, p.suiteVersionId(),
                            targetName(checkpoint.target()), targetName(previous.target())));
                }
            }
            previous = checkpoint;
        }
        return requests;
    }

    static String targetName(Target target) {
        return target.endpoint() + "/" + target.model();
    }

    private static List<CheckpointView> inStepOrder(List<CheckpointView> checkpoints) {
        List<CheckpointView> ordered = new ArrayList<>(checkpoints == null ? List.of() : checkpoints);
        ordered.removeIf(Objects::isNull);
        ordered.sort(Comparator.comparing(CheckpointView::step, Comparator.nullsLast(Comparator.naturalOrder())));
        return ordered;
    }

    public static RoundReport compose(RunView run, List<CheckpointView> checkpoints,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts,
            Optional<List<AlarmView>> alarms) {
        return compose(run, checkpoints, probeRuns, verdicts, alarms, RowComparisons.NONE);
    }

    public static RoundReport compose(RunView run, List<CheckpointView> checkpoints,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts,
            Optional<List<AlarmView>> alarms, RowComparisons comparisons) {
        return compose(run, checkpoints, probeRuns, verdicts, alarms, comparisons, Optional.of(List.of()));
    }

    public static RoundReport compose(RunView run, List<CheckpointView> checkpoints,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts,
            Optional<List<AlarmView>> alarms, RowComparisons comparisons, Optional<List<StrengthView>> strengths) {
        List<String> missing = new ArrayList<>();
        if (probeRuns.isEmpty()) {
            missing.add(PROBE_RUNNER_DOWN);
        }
        if (verdicts.isEmpty()) {
            missing.add(REVIEW_DOWN);
        }
        if (alarms.isEmpty()) {
            missing.add(ALARMS_DOWN);
        }
        List<CheckpointView> ordered = inStepOrder(checkpoints);
        if (ordered.isEmpty()) {
            missing.add(NO_CHECKPOINTS);
        }
        boolean noSuite = run.suite() == null || run.suite().isBlank();
        List<CheckpointRow> rows = new ArrayList<>(ordered.size());
        CheckpointView previous = null;
        for (CheckpointView checkpoint : ordered) {
            rows.add(row(checkpoint, previous, probeRuns, verdicts, alarms, comparisons, noSuite));
            previous = checkpoint;
        }
        List<Notice> notices = noSuite ? List.of(new Notice(NO_SUITE_CODE, NO_SUITE)) : List.of();
        List<Strength> ranked = RoundRecommendation.strengths(rows, strengths);
        Recommendation recommendation = RoundRecommendation.recommend(run, rows, ranked, strengths.isPresent());
        RunSummary summary = new RunSummary(run.id(), run.name(), run.project(), run.baseline());
        return new RoundReport(summary, rows, missing, recommendation, ranked, notices);
    }

    static CheckpointRow row(CheckpointView checkpoint, Optional<List<ProbeRunView>> probeRuns,
            Optional<List<VerdictView>> verdicts) {
        return row(checkpoint, null, probeRuns, verdicts, Optional.of(List.of()), RowComparisons.NONE, false);
    }

    static CheckpointRow row(CheckpointView checkpoint, CheckpointView previous,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts,
            Optional<List<AlarmView>> alarms) {
        return row(checkpoint, previous, probeRuns, verdicts, alarms, RowComparisons.NONE, false);
    }

    static CheckpointRow row(CheckpointView checkpoint, CheckpointView previous,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts,
            Optional<List<AlarmView>> alarms, RowComparisons comparisons) {
        return row(checkpoint, previous, probeRuns, verdicts, alarms, comparisons, false);
    }

    /** What one row knows about its probe run: its behaviour changes, the run itself and the base comparison. */
    private record RowBehaviour(Behaviour base, Behaviour vsPrevious, ProbeRunView probeRun,
            ComparisonView comparison) {
    }

    /**
     * One checkpoint row. {@code previous} is the checkpoint before it in step order (null for the first); the
     * alarms of the row are those overlapping its interval: (previous step, this step], for the first [0, step].
     */
    static CheckpointRow row(CheckpointView checkpoint, CheckpointView previous,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts,
            Optional<List<AlarmView>> alarms, RowComparisons comparisons, boolean noSuite) {
        List<String> missing = new ArrayList<>();
        Loss loss = new Loss(checkpoint.trainLoss(), checkpoint.trainLossDelta(), checkpoint.evalLoss(),
                checkpoint.evalLossDelta());
        if (checkpoint.trainLoss() == null && checkpoint.evalLoss() == null) {
            missing.add("No loss is recorded at or before step " + checkpoint.step() + " yet.");
        }
        RowBehaviour rb = rowBehaviour(checkpoint, previous, probeRuns, comparisons, noSuite, missing);
        Behaviour behaviour = rb.base();
        Behaviour vsPrevious = rb.vsPrevious();
        ProbeRunView probeRun = rb.probeRun();

        List<VerdictView> mine = verdicts.map(all -> all.stream()
                .filter(v -> v != null && Objects.equals(v.checkpointId(), checkpoint.id())).toList())
                .orElse(List.of());
        VerdictView baseView = mine.stream().filter(v -> !AGAINST_PREVIOUS.equals(v.against()))
                .max(Comparator.comparing(v -> n(v.votes()))).orElse(null);
        VerdictView previousView = mine.stream().filter(v -> AGAINST_PREVIOUS.equals(v.against()))
                .max(Comparator.comparing(v -> n(v.votes()))).orElse(null);
        Verdict verdict = verdict(baseView);
        List<Verdict> rowVerdicts = new ArrayList<>();
        if (verdict != null) {
            rowVerdicts.add(verdict);
        }
        if (previousView != null) {
            rowVerdicts.add(verdict(previousView));
        }
        verdictMissing(verdicts.isPresent(), verdict, behaviour, previous, baseView, previousView).ifPresent(missing::add);

        List<Alarm> rowAlarms = alarms.map(a -> alarmsIn(previous == null ? null : previous.step(),
                checkpoint.step(), a)).orElse(null);
        List<Flag> flags = flags(checkpoint, previous, behaviour, verdict, verdicts.isPresent(), rowAlarms);
        Optional<Flag> memorising = memorising(checkpoint, previous, rowAlarms, behaviour, vsPrevious,
                probeRuns.isPresent());
        if (memorising.isPresent()) {
            flags.add(memorising.get());
        } else {
            memorisingUnknown(checkpoint, rowAlarms, behaviour, vsPrevious, previous).ifPresent(missing::add);
        }
        generalisesBest(checkpoint, rowAlarms).ifPresent(flags::add);
        List<Flag> consistent = withoutContradictions(flags, missing);

        List<BehaviourTag> behaviours = RoundBehaviours.of(rb.comparison(), baseView);
        Reused reused = reused(probeRun, rb.comparison());
        if (reused != null && reused.candidate() != null && reused.candidate() > 0) {
            missing.add(reused.candidate() + " of this checkpoint's answers were reused from an earlier probe run,"
                    + " not asked afresh.");
        }
        List<String> warnings = probeRun == null || probeRun.warnings() == null ? List.of()
                : probeRun.warnings().stream().filter(Objects::nonNull).toList();
        String failureReason = probeRun == null || !"failed".equals(probeRun.status()) ? null
                : probeRun.failureReason();
        return new CheckpointRow(checkpoint.id(), checkpoint.step(), checkpoint.label(), checkpoint.target(), loss,
                behaviour, vsPrevious, verdict, rowAlarms, consistent, missing, rowVerdicts, behaviours,
                failureReason, warnings, reused);
    }

    /** The row's behaviour against the base and the previous checkpoint, saying in {@code missing} what is unknown. */
    private static RowBehaviour rowBehaviour(CheckpointView checkpoint, CheckpointView previous,
            Optional<List<ProbeRunView>> probeRuns, RowComparisons comparisons, boolean noSuite,
            List<String> missing) {
        if (probeRuns.isEmpty()) {
            missing.add("Behaviour unknown: probe-runner did not answer.");
            return new RowBehaviour(null, null, null, null);
        }
        Optional<ProbeRunView> probeRun = latestProbeRun(checkpoint.id(), probeRuns.get());
        if (probeRun.isEmpty()) {
            missing.add(noSuite ? NOT_PROBED_NO_SUITE : "No probe run for this checkpoint yet.");
            return new RowBehaviour(null, null, null, null);
        }
        ProbeRunView p = probeRun.get();
        Fetched<ComparisonView> baseComparison = comparisons.base(checkpoint.id());
        ComparisonView c = baseComparison != null && baseComparison.answered() ? baseComparison.value() : null;
        Integer total = p.comparison() != null && p.comparison().total() != null ? p.comparison().total()
                : c != null && c.total() != null ? c.total() : p.total();
        Integer changed = p.comparison() != null ? p.comparison().changed() : c == null ? null : c.changed();
        Double share = p.comparison() != null ? p.comparison().shareChanged() : c == null ? null : c.shareChanged();
        Behaviour behaviour = new Behaviour(AGAINST_BASE, c == null ? null : c.baseline(), null, p.id(), p.status(),
                total, changed, share, c == null ? null : c.identicalToBaseline(),
                c == null ? null : checks(c.checks()), c == null ? null : phrases(c.stockPhrases()));
        if ("failed".equals(p.status())) {
            missing.add("The probe run failed: " + (p.failureReason() == null || p.failureReason().isBlank()
                    ? "probe-runner gave no reason." : p.failureReason()));
        } else if (p.comparison() == null && c == null) {
            missing.add("The probe run is " + (p.status() == null ? "not finished" : p.status())
                    + "; the behaviour change is known once it completes.");
        } else if (baseComparison != null && baseComparison.state() == Fetched.State.HIDDEN) {
            missing.add(HIDDEN_FROM_REVIEWERS);
        } else if (baseComparison != null && !baseComparison.answered()) {
            missing.add("Check pass rates and stock phrases against the base are unknown: probe-runner did not"
                    + " return the comparison.");
        }
        Behaviour vsPrevious = previous == null ? null
                : vsPrevious(previous, comparisons.previous(checkpoint.id()), missing);
        return new RowBehaviour(behaviour, vsPrevious, p, c);
    }

    private static Behaviour vsPrevious(CheckpointView previous, Fetched<ComparisonView> previousComparison,
            List<String> missing) {
        if (previousComparison == null) {
            return null;
        }
        if (previousComparison.answered()) {
            ComparisonView v = previousComparison.value();
            return new Behaviour(AGAINST_PREVIOUS, previous.target(), previous.step(), v.probeRunId(), null,
                    v.total(), v.changed(), v.shareChanged(), v.identicalToBaseline(), checks(v.checks()),
                    phrases(v.stockPhrases()));
        }
        if (previousComparison.state() == Fetched.State.HIDDEN) {
            missing.add(HIDDEN_FROM_REVIEWERS);
        } else if (previousComparison.state() == Fetched.State.NONE) {
            missing.add("No comparison with the previous checkpoint (step " + previous.step() + "): its"
                    + " target has no answers to this checkpoint's suite version.");
        } else {
            missing.add("The change since the previous checkpoint (step " + previous.step() + ") is"
                    + " unknown: probe-runner did not return that comparison.");
        }
        return null;
    }

    static Verdict verdict(VerdictView v) {
        if (v == null) {
            return null;
        }
        Integer needed = v.against() == null
                ? RoundStatistics.votesNeeded(n(v.wins()), n(v.ties()), n(v.losses())) : v.votesNeeded();
        return new Verdict(n(v.wins()), n(v.ties()), n(v.losses()), n(v.bothBad()), n(v.votes()), v.winRate(),
                v.low(), v.high(), Boolean.TRUE.equals(v.decided()),
                AGAINST_PREVIOUS.equals(v.against()) ? AGAINST_PREVIOUS : AGAINST_BASE, v.baselineStep(), needed,
                v.stopping(), v.stopped());
    }

    /** Why the row has no human verdict yet, if it has none (or no votes). */
    private static Optional<String> verdictMissing(boolean reviewAnswered, Verdict verdict, Behaviour behaviour,
            CheckpointView previous, VerdictView baseView, VerdictView previousView) {
        if (!reviewAnswered) {
            return Optional.of("Verdict unknown: review-service did not answer.");
        }
        if (verdict == null || verdict.votes() == 0) {
            if (behaviour != null && behaviour.changed() != null && behaviour.changed() == 0) {
                return Optional.of("No answer changed against the base, so there is nothing for reviewers to judge"
                        + " against it.");
            }
            return Optional.of(verdict == null ? "No human verdict yet: the changed answers still need review."
                    : "No votes yet: the changed answers still need review.");
        }
        if (previous != null && previousView == null && baseView != null && baseView.against() != null) {
            return Optional.of("No human verdict against the previous checkpoint (step " + previous.step()
                    + ") yet.");
        }
        return Optional.empty();
    }

    /** Answers reused instead of asked: from the comparison against the base, else from the probe run. */
    static Reused reused(ProbeRunView probeRun, ComparisonView comparison) {
        ReusedView r = comparison != null && comparison.reused() != null ? comparison.reused()
                : probeRun == null ? null : probeRun.reused();
        return r == null ? null : new Reused(r.candidate(), r.baseline());
    }

    /**
     * The alarms whose [fromStep, toStep] overlaps the row's interval with both ends: (previousStep, step], or
     * [0, step] for the first checkpoint (previousStep null: the run's start).
     */
    static List<Alarm> alarmsIn(Long previousStep, Long step, List<AlarmView> alarms) {
        List<Alarm> found = new ArrayList<>();
        if (step == null) {
            return found;
        }
        long lowest = previousStep == null ? 0 : previousStep + 1;
        for (AlarmView a : alarms) {
            if (a == null || (a.fromStep() == null && a.toStep() == null)) {
                continue;
            }
            long from = a.fromStep() != null ? a.fromStep() : a.toStep();
            long to = a.toStep() != null ? a.toStep() : from;
            if (from <= step && to >= lowest) {
                found.add(new Alarm(a.kind(), a.severity(), a.fromStep(), a.toStep(), a.message()));
            }
        }
        found.sort(Comparator.comparing(Alarm::fromStep, Comparator.nullsFirst(Comparator.naturalOrder())));
        return found;
    }

    /**
     * The train loss before this checkpoint: this step's loss minus ingest's delta (which is since the previous
     * checkpoint, or since the first loss point for the first checkpoint), else the previous checkpoint's loss.
     */
    static Double trainLossBefore(CheckpointView checkpoint, CheckpointView previous) {
        Double train = checkpoint.trainLoss();
        if (train == null) {
            return null;
        }
        if (checkpoint.trainLossDelta() != null) {
            return train - checkpoint.trainLossDelta();
        }
        return previous == null ? null : previous.trainLoss();
    }

    /** The self-deception flags of one row, each with the numbers behind it. */
    static List<Flag> flags(CheckpointView checkpoint, CheckpointView previous, Behaviour behaviour, Verdict verdict,
            boolean reviewAnswered, List<Alarm> rowAlarms) {
        List<Flag> flags = new ArrayList<>();
        Double train = checkpoint.trainLoss();
        Double before = trainLossBefore(checkpoint, previous);
        Double change = null;
        if (train != null && before != null && Double.isFinite(train) && Double.isFinite(before) && before > 0) {
            change = (train - before) / before;
        }
        Double share = behaviour == null ? null : behaviour.shareChanged();
        boolean lossFell = train != null && before != null && train < before;

        if (change != null && share != null && change < -LOSS_FELL_SHARE && share < BEHAVIOUR_FLAT_SHARE) {
            Map<String, Object> e = lossEvidence(train, before, change);
            e.put("shareChanged", share);
            e.put("changed", behaviour.changed());
            e.put("total", behaviour.total());
            e.put("lossFellMoreThan", LOSS_FELL_SHARE);
            e.put("shareChangedBelow", BEHAVIOUR_FLAT_SHARE);
            flags.add(new Flag(LOSS_FELL_BEHAVIOUR_FLAT, "Train loss fell " + pct(-change) + " but only "
                    + pct(share) + " of the probe answers changed: the loss may be learning something the probes"
                    + " do not ask about.", e));
        }
        if (lossFell && verdict != null && verdict.high() != null && verdict.high() < PREFER_BASELINE_HIGH) {
            Map<String, Object> e = lossEvidence(train, before, change);
            e.put("winRate", verdict.winRate());
            e.put("low", verdict.low());
            e.put("high", verdict.high());
            e.put("votes", verdict.votes());
            e.put("highBelow", PREFER_BASELINE_HIGH);
            flags.add(new Flag(LOSS_FELL_HUMANS_PREFER_BASELINE, "Train loss fell, yet reviewers prefer the baseline:"
                    + " the win rate interval (" + pct(verdict.low()) + "–" + pct(verdict.high())
                    + ") lies entirely below 50 %.", e));
        }
        if (change != null && share != null && Math.abs(change) < LOSS_FLAT_SHARE && share >= DRIFTING_SHARE) {
            Map<String, Object> e = lossEvidence(train, before, change);
            e.put("shareChanged", share);
            e.put("changed", behaviour.changed());
            e.put("total", behaviour.total());
            e.put("lossChangeBelow", LOSS_FLAT_SHARE);
            e.put("shareChangedAtLeast", DRIFTING_SHARE);
            flags.add(new Flag(LOSS_FLAT_OUTPUTS_DRIFTING, "Train loss barely moved (" + signedPct(change)
                    + ") but " + pct(share) + " of the probe answers changed: outputs are drifting.", e));
        }
        Integer changed = behaviour == null ? null : behaviour.changed();
        if (reviewAnswered && changed != null && changed > 0 && (verdict == null || verdict.votes() == 0)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("changed", changed);
            e.put("total", behaviour.total());
            e.put("votes", verdict == null ? 0 : verdict.votes());
            flags.add(new Flag(NO_HUMAN_SIGNAL_YET, changed + " probe answers changed and nobody has reviewed them"
                    + " yet: start a review now rather than at the end of training.", e));
        }
        return flags;
    }

    /**
     * The memorising alarms (too-fast-drop, overfitting) among the row's alarms; empty when alarms are unknown. An
     * overfitting alarm starts where eval loss bottomed, the checkpoint that generalises best: it speaks of
     * memorising only after that step, so it counts for rows after its start and not for the checkpoint at it.
     */
    static List<Alarm> memorisingAlarms(List<Alarm> rowAlarms, Long step) {
        return rowAlarms == null ? List.of()
                : rowAlarms.stream().filter(a -> MEMORISING_ALARMS.contains(a.kind()))
                        .filter(a -> !OVERFITTING.equals(a.kind()) || a.fromStep() == null || step == null
                                || a.fromStep() < step)
                        .toList();
    }

    /** generalises-best: an overfitting alarm starts exactly at this checkpoint's step (eval loss bottomed here). */
    static Optional<Flag> generalisesBest(CheckpointView checkpoint, List<Alarm> rowAlarms) {
        if (rowAlarms == null || checkpoint.step() == null) {
            return Optional.empty();
        }
        return rowAlarms.stream()
                .filter(a -> OVERFITTING.equals(a.kind()) && checkpoint.step().equals(a.fromStep()))
                .findFirst().map(a -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("step", checkpoint.step());
                    e.put("evalLoss", checkpoint.evalLoss());
                    e.put("alarmFromStep", a.fromStep());
                    e.put("alarmToStep", a.toStep());
                    return new Flag(GENERALISES_BEST, "Eval loss bottomed at this checkpoint (step "
                            + checkpoint.step() + ") and rose afterwards while train loss kept falling: of the"
                            + " checkpoints so far, this one generalises best.", e);
                });
    }

    /** The flags without contradicting pairs (see {@link #CONTRADICTING}); each dropped flag is named in missing. */
    static List<Flag> withoutContradictions(List<Flag> flags, List<String> missing) {
        List<Flag> kept = new ArrayList<>(flags);
        for (List<String> pair : CONTRADICTING) {
            boolean first = kept.stream().anyMatch(f -> pair.get(0).equals(f.kind()));
            if (first && kept.removeIf(f -> pair.get(1).equals(f.kind()))) {
                missing.add("Not flagged " + pair.get(1) + ": it would contradict " + pair.get(0) + " on this row.");
            }
        }
        return kept;
    }

    /**
     * The behaviour change whose stock phrases count as "new" for this row: against the previous checkpoint, or for
     * the first checkpoint (whose previous is the base) against the base. When the comparison with the previous
     * checkpoint is unknown, the one against the base stands in (the evidence says which). Null: no phrases known.
     */
    static Behaviour phraseSource(CheckpointView previous, Behaviour behaviour, Behaviour vsPrevious) {
        if (previous != null && vsPrevious != null && vsPrevious.stockPhrases() != null) {
            return vsPrevious;
        }
        return behaviour != null && behaviour.stockPhrases() != null ? behaviour : null;
    }

    /**
     * memorising: a too-fast-drop or overfitting alarm in the row's interval together with new stock phrases in the
     * row's comparison (both are the evidence). An alarm alone, or phrases alone, raise nothing.
     */
    static Optional<Flag> memorising(CheckpointView checkpoint, CheckpointView previous, List<Alarm> rowAlarms,
            Behaviour behaviour, Behaviour vsPrevious, boolean probeRunnerAnswered) {
        List<Alarm> alarms = memorisingAlarms(rowAlarms, checkpoint.step());
        Behaviour source = probeRunnerAnswered ? phraseSource(previous, behaviour, vsPrevious) : null;
        if (alarms.isEmpty() || source == null || source.stockPhrases().isEmpty()) {
            return Optional.empty();
        }
        List<String> phrases = source.stockPhrases().stream().map(StockPhrase::phrase).filter(Objects::nonNull)
                .limit(PHRASES_SHOWN).toList();
        List<String> kinds = alarms.stream().map(Alarm::kind).distinct().toList();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("previousStep", previous == null ? null : previous.step());
        e.put("step", checkpoint.step());
        e.put("alarms", alarms.size());
        e.put("alarmKinds", kinds);
        e.put("fromStep", alarms.stream().map(Alarm::fromStep).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null));
        e.put("toStep", alarms.stream().map(Alarm::toStep).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null));
        e.put("stockPhrases", source.stockPhrases().size());
        e.put("phrases", phrases);
        e.put("stockPhrasesAgainst", source.against());
        String against = AGAINST_PREVIOUS.equals(source.against())
                ? "the previous checkpoint (step " + source.baselineStep() + ")" : "the base model";
        return Optional.of(new Flag(MEMORISING, "Possible memorising: ingest raised " + String.join(", ", kinds)
                + " in this interval, and " + source.stockPhrases().size() + " stock phrase"
                + (source.stockPhrases().size() == 1 ? "" : "s") + " rose against " + against + ": \u201c"
                + String.join("\u201d, \u201c", phrases) + "\u201d.", e));
    }

    /** Why memorising could not be judged although a memorising alarm lies in the interval (else empty). */
    static Optional<String> memorisingUnknown(CheckpointView checkpoint, List<Alarm> rowAlarms, Behaviour behaviour,
            Behaviour vsPrevious, CheckpointView previous) {
        List<Alarm> alarms = memorisingAlarms(rowAlarms, checkpoint.step());
        if (alarms.isEmpty() || phraseSource(previous, behaviour, vsPrevious) != null) {
            return Optional.empty();
        }
        return Optional.of("Memorising not judged: a " + alarms.get(0).kind() + " alarm lies in this interval, but"
                + " the stock phrases of this checkpoint's answers are not known yet.");
    }

    static Checks checks(ChecksView c) {
        return c == null ? null : new Checks(c.evaluated(), c.candidatePassRate(), c.baselinePassRate(),
                c.passRateChange(), c.fixed(), c.broken(), named(c.brokenChecks()));
    }

    static List<NamedCheck> named(List<NamedCheckView> checks) {
        if (checks == null) {
            return List.of();
        }
        return checks.stream().filter(Objects::nonNull)
                .map(c -> new NamedCheck(c.probeId(), c.index(), c.type(), c.name(), c.count())).toList();
    }

    static List<StockPhrase> phrases(List<StockPhraseView> phrases) {
        if (phrases == null) {
            return List.of();
        }
        return phrases.stream().filter(p -> p != null && p.phrase() != null)
                .map(p -> new StockPhrase(p.phrase(), p.candidateCount(), p.baselineCount())).toList();
    }

    private static Map<String, Object> lossEvidence(Double train, Double before, Double change) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("trainLoss", train);
        e.put("previousTrainLoss", before);
        e.put("trainLossChange", change);
        return e;
    }

    private static String pct(Double share) {
        return share == null ? "?" : String.format(java.util.Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String signedPct(Double share) {
        return share == null ? "?" : String.format(java.util.Locale.ROOT, "%+.1f %%", share * 100);
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
