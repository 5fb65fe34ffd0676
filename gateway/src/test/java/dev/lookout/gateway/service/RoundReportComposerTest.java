package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.AlarmView;
import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.Comparison;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.Target;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.service.RoundReport.CheckpointRow;
import dev.lookout.gateway.service.RoundReport.Flag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
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
        return new ProbeRunView(id, "r", checkpoint, null, status, 40, Instant.parse(createdAt), comparison);
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

    @Test
    void shouldFlagMemorisingFromAnOverlappingAlarmAndListTheRowsAlarms() {
        List<AlarmView> alarms = List.of(
                new AlarmView("too-fast-drop", "warning", 150L, 180L, "fell fast"),
                new AlarmView("nan-loss", "critical", 190L, 190L, "NaN"),
                new AlarmView("overfitting", "warning", 40L, 100L, "before this interval"),
                new AlarmView("overfitting", "warning", 201L, 260L, "after this step"));
        CheckpointRow row = rowOf(checkpoint("c200", 200L, 1.9, null), PREV, behaviour("c200", 20, 0.2),
                verdictWithInterval("c200", 30, 0.4, 0.8), alarms);
        assertEquals(List.of("too-fast-drop", "nan-loss"), row.alarms().stream().map(a -> a.kind()).toList());
        assertEquals(List.of(RoundReportComposer.MEMORISING), kinds(row));
        Flag f = flag(row, RoundReportComposer.MEMORISING);
        assertEquals(1, f.evidence().get("alarms"));
        assertEquals(150L, f.evidence().get("fromStep"));
        assertEquals(100L, f.evidence().get("previousStep"));
        assertTrue(f.message().contains("too-fast-drop"));
        assertTrue(f.message().contains("alarm alone"));
    }

    @Test
    void shouldNotFlagMemorisingForOtherKindsOrOtherIntervalsOrUnknownAlarms() {
        List<AlarmView> alarms = List.of(new AlarmView("nan-loss", "critical", 150L, 150L, "NaN"),
                new AlarmView("overfitting", "warning", 40L, 100L, "before this interval"));
        CheckpointRow row = rowOf(checkpoint("c200", 200L, 1.9, null), PREV, behaviour("c200", 20, 0.2),
                verdictWithInterval("c200", 30, 0.4, 0.8), alarms);
        assertTrue(row.flags().isEmpty());
        assertEquals(1, row.alarms().size());
        CheckpointRow unknown = RoundReportComposer.row(checkpoint("c200", 200L, 1.9, null), PREV,
                behaviour("c200", 20, 0.2), verdictWithInterval("c200", 30, 0.4, 0.8), Optional.empty());
        assertNull(unknown.alarms());
        assertTrue(unknown.flags().isEmpty());
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
        assertEquals(List.of(RoundReportComposer.MEMORISING), kinds(report.checkpoints().get(0)));
        assertEquals(List.of(RoundReportComposer.LOSS_FELL_BEHAVIOUR_FLAT), kinds(report.checkpoints().get(1)));
    }
}
