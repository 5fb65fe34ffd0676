package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.AlarmView;
import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.ChecksView;
import dev.lookout.gateway.client.UpstreamViews.Comparison;
import dev.lookout.gateway.client.UpstreamViews.ComparisonView;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.StockPhraseView;
import dev.lookout.gateway.client.UpstreamViews.Target;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.service.RoundReport.CheckpointRow;
import dev.lookout.gateway.service.RoundReport.Flag;
import dev.lookout.gateway.service.RoundReportComposer.ComparisonRequest;
import dev.lookout.gateway.service.RoundReportComposer.RowComparisons;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundReportComposerTest {

    private static final RunView RUN = new RunView("r", "demo", "sft-3", new Target("vllm", "base"), "s", "running");
    private static final CheckpointView C100 = checkpoint("c100", 100L, 1.5, null);
    private static final CheckpointView C200 = checkpoint("c200", 200L, 1.2, -0.3);
    private static final CheckpointView C300 = checkpoint("c300", 300L, null, null);

    private static CheckpointView checkpoint(String id, Long step, Double train, Double trainDelta) {
        return new CheckpointView(id, "r", step, "ckpt-" + step, new Target("vllm", "m-" + step), train, null,
                trainDelta, null);
    }

    private static ProbeRunView probeRun(String id, String checkpoint, String status, String createdAt,
            Comparison comparison) {
        return new ProbeRunView(id, "r", checkpoint, null, "sv1", status, 40, Instant.parse(createdAt), comparison);
    }

    private static VerdictView verdict(String checkpoint, int wins, int losses) {
        return new VerdictView(checkpoint, "p", wins, 0, losses, 0, wins + losses, 0.5, 0.2, 0.8, false);
    }

    @Test
    void shouldOrderCheckpointsByStepAndJoinBehaviourAndVerdict() {
        RoundReport report = RoundReportComposer.compose(RUN, List.of(C200, C100),
                Optional.of(List.of(probeRun("p200", "c200", "completed", "2026-01-01T00:00:00Z",
                        new Comparison(40, 8, 32, 0.2)))),
                Optional.of(List.of(verdict("c200", 7, 3))), Optional.of(List.of()));
        assertEquals(List.of(100L, 200L), report.checkpoints().stream().map(CheckpointRow::step).toList());
        assertEquals("sft-3", report.run().name());
        assertEquals("base", report.run().baseline().model());
        assertTrue(report.missing().isEmpty());

        CheckpointRow first = report.checkpoints().get(0);
        assertNull(first.behaviour());
        assertNull(first.verdict());
        assertEquals(2, first.missing().size());

        CheckpointRow second = report.checkpoints().get(1);
        assertEquals(1.2, second.loss().train());
        assertEquals(-0.3, second.loss().trainDelta());
        assertEquals("p200", second.behaviour().probeRunId());
        assertEquals(0.2, second.behaviour().shareChanged());
        assertEquals(8, second.behaviour().changed());
        assertEquals(7, second.verdict().wins());
        assertEquals(10, second.verdict().votes());
        assertTrue(second.missing().isEmpty());
    }

    @Test
    void shouldPreferTheNewestCompletedProbeRun() {
        List<ProbeRunView> runs = List.of(
                probeRun("old", "c200", "completed", "2026-01-01T00:00:00Z", new Comparison(40, 1, 39, 0.025)),
                probeRun("new", "c200", "completed", "2026-01-02T00:00:00Z", new Comparison(40, 4, 36, 0.1)),
                probeRun("running", "c200", "running", "2026-01-03T00:00:00Z", null),
                probeRun("other", "c100", "completed", "2026-01-04T00:00:00Z", new Comparison(40, 0, 40, 0.0)));
        assertEquals("new", RoundReportComposer.latestProbeRun("c200", runs).orElseThrow().id());
        assertEquals("other", RoundReportComposer.latestProbeRun("c100", runs).orElseThrow().id());
        assertTrue(RoundReportComposer.latestProbeRun("c300", runs).isEmpty());
    }

    @Test
    void shouldSayARunningProbeRunHasNoComparisonYet() {
        CheckpointRow row = RoundReportComposer.row(C200,
                Optional.of(List.of(probeRun("p", "c200", "running", "2026-01-01T00:00:00Z", null))),
                Optional.of(List.of()));
        assertEquals("running", row.behaviour().status());
        assertNull(row.behaviour().shareChanged());
        assertTrue(row.missing().stream().anyMatch(m -> m.contains("running")));
    }

    @Test
    void shouldReportWhatIsMissingWhenServicesAreDown() {
        RoundReport report = RoundReportComposer.compose(RUN, List.of(C300), Optional.empty(), Optional.empty(),
                Optional.empty());
        assertEquals(List.of(RoundReportComposer.PROBE_RUNNER_DOWN, RoundReportComposer.REVIEW_DOWN,
                        RoundReportComposer.ALARMS_DOWN),
                report.missing());
        CheckpointRow row = report.checkpoints().get(0);
        assertNull(row.behaviour());
        assertNull(row.verdict());
        assertEquals(3, row.missing().size());
        assertTrue(row.missing().get(0).contains("step 300"));
    }

    @Test
    void shouldSayWhenThereAreNoCheckpoints() {
        RoundReport report = RoundReportComposer.compose(RUN, List.of(), Optional.of(List.of()),
                Optional.of(List.of()), Optional.of(List.of()));
        assertEquals(List.of(RoundReportComposer.NO_CHECKPOINTS), report.missing());
        assertTrue(report.checkpoints().isEmpty());
    }

    // ---- self-deception flags ----

    private static final CheckpointView PREV = checkpoint("c100", 100L, 2.0, null);

    private static Optional<List<ProbeRunView>> behaviour(String checkpoint, int changed, double share) {
        return Optional.of(List.of(probeRun("p-" + checkpoint, checkpoint, "completed", "2026-01-01T00:00:00Z",
                new Comparison(100, changed, 100 - changed, share))));
    }

    private static Optional<List<VerdictView>> verdictWithInterval(String checkpoint, int votes, double low,
            double high) {
        return Optional.of(List.of(new VerdictView(checkpoint, "p", votes / 2, 0, votes - votes / 2, 0, votes,
                (low + high) / 2, low, high, false)));
    }

    private static List<String> kinds(CheckpointRow row) {
        return row.flags().stream().map(Flag::kind).toList();
    }

    private static Flag flag(CheckpointRow row, String kind) {
        return row.flags().stream().filter(f -> kind.equals(f.kind())).findFirst().orElseThrow();
    }

    private static CheckpointRow rowOf(CheckpointView c, CheckpointView previous,
            Optional<List<ProbeRunView>> probeRuns, Optional<List<VerdictView>> verdicts, List<AlarmView> alarms) {
        return RoundReportComposer.row(c, previous, probeRuns, verdicts, Optional.of(alarms));
    }

    @Test
    void shouldFlagLossFellButBehaviourFlat() {
        // 2.0 -> 1.8 is -10 %, 5 % of answers changed
        CheckpointRow row = rowOf(checkpoint("c200", 200L, 1.8, null), PREV, behaviour("c200", 5, 0.05),
                verdictWithInterval("c200", 10, 0.4, 0.9), List.of());
        assertEquals(List.of(RoundReportComposer.LOSS_FELL_BEHAVIOUR_FLAT), kinds(row));
        Flag f = flag(row, RoundReportComposer.LOSS_FELL_BEHAVIOUR_FLAT);
        assertEquals(2.0, (Double) f.evidence().get("previousTrainLoss"), 1e-9);
        assertEquals(-0.1, (Double) f.evidence().get("trainLossChange"), 1e-9);
        assertEquals(0.05, f.evidence().get("shareChanged"));
        assertTrue(f.message().contains("10.0 %"));
    }

    @Test
    void shouldFlagLossFellBehaviourFlatOnTheFirstCheckpointFromItsDelta() {
        // first checkpoint: delta since the first loss point, 2.0 -> 1.8
        CheckpointRow row = rowOf(checkpoint("c100", 100L, 1.8, -0.2), null, behaviour("c100", 2, 0.02),
                verdictWithInterval("c100", 10, 0.4, 0.9), List.of());
        assertEquals(List.of(RoundReportComposer.LOSS_FELL_BEHAVIOUR_FLAT), kinds(row));
    }

    @Test
    void shouldNotFlagLossFellBehaviourFlatWhenLossFellLittleOrBehaviourMoved() {
        // -4 % only
        CheckpointRow small = rowOf(checkpoint("c200", 200L, 1.92, null), PREV, behaviour("c200", 5, 0.05),
                verdictWithInterval("c200", 10, 0.4, 0.9), List.of());
        assertTrue(small.flags().isEmpty());
        // -10 % but 10 % changed (not below the threshold)
        CheckpointRow moved = rowOf(checkpoint("c200", 200L, 1.8, null), PREV, behaviour("c200", 10, 0.10),
                verdictWithInterval("c200", 10, 0.4, 0.9), List.of());
        assertTrue(moved.flags().isEmpty());
        // no behaviour known
        CheckpointRow unknown = rowOf(checkpoint("c200", 200L, 1.8, null), PREV, Optional.of(List.of()),
                verdictWithInterval("c200", 10, 0.4, 0.9), List.of());
        assertTrue(unknown.flags().isEmpty());
    }

    @Test
    void shouldFlagLossFellHumansPreferBaseline() {
        CheckpointRow row = rowOf(checkpoint("c200", 200L, 1.8, null), PREV, behaviour("c200", 20, 0.2),
                verdictWithInterval("c200", 30, 0.2, 0.45), List.of());
        assertEquals(List.of(RoundReportComposer.LOSS_FELL_HUMANS_PREFER_BASELINE), kinds(row));
        Flag f = flag(row, RoundReportComposer.LOSS_FELL_HUMANS_PREFER_BASELINE);
        assertEquals(0.45, f.evidence().get("high"));
        assertEquals(30, f.evidence().get("votes"));
    }

    @Test
    void shouldNotFlagHumansPreferBaselineWhenTheIntervalReaches50OrLossRose() {
        CheckpointRow reaches = rowOf(checkpoint("c200", 200L, 1.8, null), PREV, behaviour("c200", 20, 0.2),
                verdictWithInterval("c200", 30, 0.3, 0.5), List.of());
        assertTrue(reaches.flags().isEmpty());
        CheckpointRow rose = rowOf(checkpoint("c200", 200L, 2.2, null), PREV, behaviour("c200", 20, 0.2),
                verdictWithInterval("c200", 30, 0.2, 0.45), List.of());
        assertTrue(rose.flags().isEmpty());
    }

    private static final List<AlarmView> MEMORISING_ALARMS = List.of(
            new AlarmView("too-fast-drop", "warning", 150L, 180L, "fell fast"),
            new AlarmView("nan-loss", "critical", 190L, 190L, "NaN"),
            new AlarmView("overfitting", "warning", 40L, 100L, "before this interval"),
            new AlarmView("overfitting", "warning", 201L, 260L, "after this step"));

    private static ComparisonView comparison(String candidate, String baseline, double share, Double passRateChange,
            String... phrases) {
        return new ComparisonView("sv1", null, new Target("vllm", candidate), new Target("vllm", baseline), 100,
                (int) Math.round(share * 100), 0, share, share < 0.05,
                passRateChange == null ? null : new ChecksView(50, 0.5 + passRateChange, 0.5, passRateChange, 3, 1),
                java.util.Arrays.stream(phrases).map(p -> new StockPhraseView(p, 12, 1, 0.12, 0.01)).toList());
    }

    private static RowComparisons comparisons(String checkpoint, Fetched<ComparisonView> base,
            Fetched<ComparisonView> previous) {
        return new RowComparisons(base == null ? Map.of() : Map.of(checkpoint, base),
                previous == null ? Map.of() : Map.of(checkpoint, previous));
    }

    private static CheckpointRow rowWith(CheckpointView c, CheckpointView previous, List<AlarmView> alarms,
            RowComparisons comparisons) {
        return RoundReportComposer.row(c, previous, behaviour(c.id(), 20, 0.2), verdictWithInterval(c.id(), 30, 0.4, 0.8),
                Optional.of(alarms), comparisons);
    }

    @Test
    void shouldFlagMemorisingFromAnAlarmTogetherWithNewStockPhrasesSinceThePreviousCheckpoint() {
        CheckpointView c200 = checkpoint("c200", 200L, 1.9, null);
        CheckpointRow row = rowWith(c200, PREV, MEMORISING_ALARMS, comparisons("c200",
                Fetched.of(comparison("m-200", "base", 0.2, 0.0, "old phrase", "请您放心")),
                Fetched.of(comparison("m-200", "m-100", 0.15, -0.1, "请您放心", "as soon as possible"))));
        assertEquals(List.of("too-fast-drop", "nan-loss"), row.alarms().stream().map(a -> a.kind()).toList());
        assertEquals(List.of(RoundReportComposer.MEMORISING), kinds(row));
        Flag f = flag(row, RoundReportComposer.MEMORISING);
        assertEquals(1, f.evidence().get("alarms"));
        assertEquals(List.of("too-fast-drop"), f.evidence().get("alarmKinds"));
        assertEquals(150L, f.evidence().get("fromStep"));
        assertEquals(100L, f.evidence().get("previousStep"));
        assertEquals(2, f.evidence().get("stockPhrases"));
        assertEquals(List.of("请您放心", "as soon as possible"), f.evidence().get("phrases"));
        assertEquals("previous", f.evidence().get("stockPhrasesAgainst"));
        assertTrue(f.message().contains("too-fast-drop"));
        assertTrue(f.message().contains("请您放心"));
        assertTrue(f.message().contains("step 100"));
    }

    @Test
    void shouldNotFlagMemorisingFromTheAlarmAlone() {
        CheckpointView c200 = checkpoint("c200", 200L, 1.9, null);
        // the phrases against the base were already there at the previous checkpoint: none rose since then
        CheckpointRow noNewPhrases = rowWith(c200, PREV, MEMORISING_ALARMS, comparisons("c200",
                Fetched.of(comparison("m-200", "base", 0.2, 0.0, "请您放心")),
                Fetched.of(comparison("m-200", "m-100", 0.15, 0.0))));
        assertTrue(noNewPhrases.flags().isEmpty());
        assertTrue(noNewPhrases.missing().isEmpty());
        // phrases unknown (no comparison fetched): not judged, and the row says so
        CheckpointRow unknown = rowWith(c200, PREV, MEMORISING_ALARMS, RowComparisons.NONE);
        assertTrue(unknown.flags().isEmpty());
        assertTrue(unknown.missing().stream().anyMatch(m -> m.contains("Memorising not judged")
                && m.contains("too-fast-drop")), unknown.missing().toString());
    }

    @Test
    void shouldNotFlagMemorisingFromStockPhrasesWithoutAnAlarm() {
        CheckpointView c200 = checkpoint("c200", 200L, 1.9, null);
        List<AlarmView> others = List.of(new AlarmView("nan-loss", "critical", 150L, 150L, "NaN"),
                new AlarmView("overfitting", "warning", 40L, 100L, "before this interval"));
        RowComparisons phrases = comparisons("c200", Fetched.of(comparison("m-200", "base", 0.2, 0.0, "请您放心")),
                Fetched.of(comparison("m-200", "m-100", 0.2, 0.0, "请您放心")));
        CheckpointRow row = rowWith(c200, PREV, others, phrases);
        assertTrue(row.flags().isEmpty());
        assertEquals(1, row.alarms().size());
        CheckpointRow alarmsUnknown = RoundReportComposer.row(c200, PREV, behaviour("c200", 20, 0.2),
                verdictWithInterval("c200", 30, 0.4, 0.8), Optional.empty(), phrases);
        assertNull(alarmsUnknown.alarms());
        assertTrue(alarmsUnknown.flags().isEmpty());
    }

    @Test
    void shouldJudgeMemorisingOnTheFirstCheckpointAgainstTheBase() {
        CheckpointView c100 = checkpoint("c100", 100L, 1.0, -1.0);
        CheckpointRow row = rowWith(c100, null,
                List.of(new AlarmView("overfitting", "warning", 60L, 90L, "eval loss rose")),
                comparisons("c100", Fetched.of(comparison("m-100", "base", 0.3, 0.05, "we will handle it")), null));
        assertEquals(List.of(RoundReportComposer.MEMORISING), kinds(row));
        Flag f = flag(row, RoundReportComposer.MEMORISING);
        assertEquals("base", f.evidence().get("stockPhrasesAgainst"));
        assertNull(f.evidence().get("previousStep"));
        assertTrue(f.message().contains("base model"));
        assertNull(row.behaviourVsPrevious());
    }

    @Test
    void shouldFallBackToTheBaseComparisonWhenThePreviousOneFailed() {
        CheckpointView c200 = checkpoint("c200", 200L, 1.9, null);
        CheckpointRow row = rowWith(c200, PREV, MEMORISING_ALARMS, comparisons("c200",
                Fetched.of(comparison("m-200", "base", 0.2, 0.0, "请您放心")), Fetched.failed()));
        assertEquals(List.of(RoundReportComposer.MEMORISING), kinds(row));
        assertEquals("base", flag(row, RoundReportComposer.MEMORISING).evidence().get("stockPhrasesAgainst"));
        assertNull(row.behaviourVsPrevious());
        assertTrue(row.missing().stream().anyMatch(m -> m.contains("since the previous checkpoint (step 100)")
                && m.contains("probe-runner")), row.missing().toString());
    }

    @Test
    void shouldShowTheChangeAgainstThePreviousCheckpointAndTheBaseWithChecksAndPhrases() {
        CheckpointView c200 = checkpoint("c200", 200L, 1.9, null);
        CheckpointRow row = rowWith(c200, PREV, List.of(), comparisons("c200",
                Fetched.of(comparison("m-200", "base", 0.2, 0.1, "请您放心")),
                Fetched.of(comparison("m-200", "m-100", 0.02, -0.25))));
        assertEquals("base", row.behaviour().against());
        assertEquals(0.2, row.behaviour().shareChanged());
        assertEquals(0.1, row.behaviour().checks().passRateChange());
        assertEquals(List.of("请您放心"), row.behaviour().stockPhrases().stream().map(p -> p.phrase()).toList());
        assertEquals(12, row.behaviour().stockPhrases().get(0).candidateCount());
        assertEquals("previous", row.behaviourVsPrevious().against());
        assertEquals("m-100", row.behaviourVsPrevious().baseline().model());
        assertEquals(100L, row.behaviourVsPrevious().baselineStep());
        assertEquals(0.02, row.behaviourVsPrevious().shareChanged());
        assertEquals(true, row.behaviourVsPrevious().identicalToBaseline());
        assertEquals(-0.25, row.behaviourVsPrevious().checks().passRateChange());
        assertEquals(1, row.behaviourVsPrevious().checks().broken());
        assertTrue(row.behaviourVsPrevious().stockPhrases().isEmpty());
        assertTrue(row.missing().isEmpty(), row.missing().toString());
    }

    @Test
    void shouldSayWhatIsMissingWhenComparisonsAreNotAvailable() {
        CheckpointView c200 = checkpoint("c200", 200L, 1.9, null);
        CheckpointRow none = rowWith(c200, PREV, List.of(), comparisons("c200", Fetched.failed(), Fetched.none()));
        assertEquals(0.2, none.behaviour().shareChanged());
        assertNull(none.behaviour().checks());
        assertNull(none.behaviour().stockPhrases());
        assertNull(none.behaviourVsPrevious());
        assertTrue(none.missing().stream().anyMatch(m -> m.contains("against the base are unknown")),
                none.missing().toString());
        assertTrue(none.missing().stream().anyMatch(m -> m.contains("No comparison with the previous checkpoint")),
                none.missing().toString());
    }

    @Test
    void shouldPlanTheComparisonsOfCompletedProbeRunsAgainstBaseAndPreviousTarget() {
        List<ProbeRunView> runs = List.of(
                probeRun("p100", "c100", "completed", "2026-01-01T00:00:00Z", new Comparison(40, 8, 32, 0.2)),
                probeRun("p200", "c200", "completed", "2026-01-02T00:00:00Z", new Comparison(40, 8, 32, 0.2)),
                probeRun("p300", "c300", "running", "2026-01-03T00:00:00Z", null));
        List<ComparisonRequest> plan = RoundReportComposer.comparisonsToFetch(List.of(C300, C200, C100), runs);
        assertEquals(List.of(
                new ComparisonRequest("c100", false, "p100", null, null, null),
                new ComparisonRequest("c200", false, "p200", null, null, null),
                new ComparisonRequest("c200", true, null, "sv1", "vllm/m-200", "vllm/m-100")), plan);
    }

    @Test
    void shouldFlagLossFlatOutputsDrifting() {
        // 2.0 -> 1.99 is -0.5 %, 40 % changed
        CheckpointRow row = rowOf(checkpoint("c200", 200L, 1.99, null), PREV, behaviour("c200", 40, 0.4),
                verdictWithInterval("c200", 30, 0.4, 0.8), List.of());
        assertEquals(List.of(RoundReportComposer.LOSS_FLAT_OUTPUTS_DRIFTING), kinds(row));
        assertEquals(0.4, flag(row, RoundReportComposer.LOSS_FLAT_OUTPUTS_DRIFTING).evidence().get("shareChanged"));
    }

    @Test
    void shouldNotFlagLossFlatOutputsDriftingWhenLossMovedOrFewChanged() {
        CheckpointRow moved = rowOf(checkpoint("c200", 200L, 1.9, null), PREV, behaviour("c200", 40, 0.4),
                verdictWithInterval("c200", 30, 0.4, 0.8), List.of());
        assertTrue(moved.flags().isEmpty());
        CheckpointRow few = rowOf(checkpoint("c200", 200L, 1.99, null), PREV, behaviour("c200", 29, 0.29),
                verdictWithInterval("c200", 30, 0.4, 0.8), List.of());
        assertTrue(few.flags().isEmpty());
    }

    @Test
    void shouldFlagNoHumanSignalYetWithoutVerdictOrWithoutVotes() {
        CheckpointRow noVerdict = rowOf(checkpoint("c200", 200L, 1.9, null), PREV, behaviour("c200", 20, 0.2),
                Optional.of(List.of()), List.of());
        assertEquals(List.of(RoundReportComposer.NO_HUMAN_SIGNAL_YET), kinds(noVerdict));
        assertEquals(20, flag(noVerdict, RoundReportComposer.NO_HUMAN_SIGNAL_YET).evidence().get("changed"));
        CheckpointRow noVotes = rowOf(checkpoint("c200", 200L, 1.9, null), PREV, behaviour("c200", 20, 0.2),
                Optional.of(List.of(new VerdictView("c200", "p", 0, 0, 0, 0, 0, null, null, null, false))),
                List.of());
        assertEquals(List.of(RoundReportComposer.NO_HUMAN_SIGNAL_YET), kinds(noVotes));
    }

    @Test
    void shouldNotFlagNoHumanSignalWhenNothingChangedOrVotesExistOrReviewIsDown() {
        CheckpointRow unchanged = rowOf(checkpoint("c200", 200L, 1.99, null), PREV, behaviour("c200", 0, 0.0),
                Optional.of(List.of()), List.of());
        assertTrue(unchanged.flags().isEmpty());
        CheckpointRow voted = rowOf(checkpoint("c200", 200L, 1.9, null), PREV, behaviour("c200", 20, 0.2),
                verdictWithInterval("c200", 4, 0.3, 0.9), List.of());
        assertTrue(voted.flags().isEmpty());
        CheckpointRow reviewDown = rowOf(checkpoint("c200", 200L, 1.9, null), PREV, behaviour("c200", 20, 0.2),
                Optional.empty(), List.of());
        assertTrue(reviewDown.flags().isEmpty());
    }

    @Test
    void shouldUseThePreviousCheckpointInStepOrderWhenComposing() {
        RoundReport report = RoundReportComposer.compose(RUN, List.of(checkpoint("c200", 200L, 1.8, null), PREV),
                behaviour("c200", 5, 0.05), verdictWithInterval("c200", 10, 0.4, 0.9),
                Optional.of(List.of(new AlarmView("overfitting", "warning", 90L, 95L, "early"))));
        assertEquals(List.of("overfitting"), report.checkpoints().get(0).alarms().stream().map(a -> a.kind())
                .toList());
        assertTrue(report.checkpoints().get(1).alarms().isEmpty());
        // the alarm alone: not judged without the first checkpoint's stock phrases
        assertTrue(kinds(report.checkpoints().get(0)).isEmpty());
        assertEquals(List.of(RoundReportComposer.LOSS_FELL_BEHAVIOUR_FLAT), kinds(report.checkpoints().get(1)));
    }
}
