package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.Comparison;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.Target;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.service.RoundReport.CheckpointRow;
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
                Optional.of(List.of(verdict("c200", 7, 3))));
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
        RoundReport report = RoundReportComposer.compose(RUN, List.of(C300), Optional.empty(), Optional.empty());
        assertEquals(List.of(RoundReportComposer.PROBE_RUNNER_DOWN, RoundReportComposer.REVIEW_DOWN),
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
                Optional.of(List.of()));
        assertEquals(List.of(RoundReportComposer.NO_CHECKPOINTS), report.missing());
        assertTrue(report.checkpoints().isEmpty());
    }
}
