package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.domain.ComparisonReport.ChangedCheck;
import dev.lookout.proberunner.domain.ComparisonReport.CheckChange;
import dev.lookout.proberunner.domain.ComparisonReport.CheckStats;
import dev.lookout.proberunner.domain.ComparisonReport.LengthChange;
import dev.lookout.proberunner.domain.ProbeCheck;

class ComparisonAggregatesTest {

    private static final List<ProbeCheck> CHECKS = List.of(new ProbeCheck("not-contains", "请您放心"),
            new ProbeCheck("max-length", 10), new ProbeCheck("model-graded", "is polite"));

    private static List<CheckChange> diff(String candidate, String baseline) {
        return ComparisonAggregates.diff(CHECKS, candidate == null ? null : CheckEvaluator.evaluate(CHECKS, candidate),
                CheckEvaluator.evaluate(CHECKS, baseline));
    }

    @Test
    void shouldMarkEachCheckFixedBrokenSameOrNotEvaluated() {
        List<CheckChange> d = diff("请您放心，已退款。", "退款已经原路退回到您的账户。");
        assertEquals(List.of("broken", "fixed", "not-evaluated"), d.stream().map(CheckChange::status).toList());
        assertEquals(false, d.get(0).candidate());
        assertEquals(true, d.get(0).baseline());
        assertNull(d.get(2).candidate());
        assertEquals(List.of("not-evaluated", "not-evaluated", "not-evaluated"),
                diff(null, "ok").stream().map(CheckChange::status).toList());
    }

    @Test
    void shouldComputePassRatesOverallAndPerTag() {
        CheckStats s = ComparisonAggregates.summarize(List.of(
                new ComparisonAggregates.ProbeChecks(List.of("caution"), diff("请您放心，已退款。", "已退款。")),
                new ComparisonAggregates.ProbeChecks(List.of("caution", "format"), diff("已退款。", "已退款。")),
                new ComparisonAggregates.ProbeChecks(List.of("facts"), List.of())));
        // evaluated: 2 probes × 2 deterministic checks; candidate passes 3 (broken not-contains), baseline 4
        assertEquals(4, s.evaluated());
        assertEquals(2, s.notEvaluated());
        assertEquals(0.75, s.candidatePassRate());
        assertEquals(1.0, s.baselinePassRate());
        assertEquals(-0.25, s.passRateChange());
        assertEquals(1, s.broken());
        assertEquals(0, s.fixed());
        assertEquals(List.of("caution", "format"), s.byTag().stream().map(t -> t.tag()).toList());
        assertEquals(-0.25, s.byTag().get(0).passRateChange());
        assertEquals(0.0, s.byTag().get(1).passRateChange());
        assertNull(ComparisonAggregates.summarize(List.of(new ComparisonAggregates.ProbeChecks(List.of("x"), List.of()))));
    }

    @Test
    void shouldNameTheChecksThatBrokeAndThoseThatWereFixed() {
        CheckStats s = ComparisonAggregates.summarize(List.of(
                new ComparisonAggregates.ProbeChecks("refund-2", List.of("caution"),
                        diff("请您放心，已退款。", "退款已经原路退回到您的账户。"), CHECKS),
                new ComparisonAggregates.ProbeChecks("refund-1", List.of("caution"), diff("请您放心。", "已退款。"),
                        CHECKS),
                new ComparisonAggregates.ProbeChecks("same", List.of("format"), diff("已退款。", "已退款。"), CHECKS)));
        assertEquals(2, s.broken());
        assertEquals(List.of(new ChangedCheck("refund-1", 0, "not-contains", "not-contains \"请您放心\"", 1),
                new ChangedCheck("refund-2", 0, "not-contains", "not-contains \"请您放心\"", 1)), s.brokenChecks());
        assertEquals(List.of(new ChangedCheck("refund-2", 1, "max-length", "max-length 10", 1)), s.fixedChecks());
        assertEquals("contains-any [\"a\", \"b\"]", ComparisonAggregates.name("contains-any", List.of("a", "b")));
        assertEquals("json-schema", ComparisonAggregates.name("json-schema", java.util.Map.of("type", "object")));
        String longName = ComparisonAggregates.name("regex", "x".repeat(200));
        assertEquals("regex ".length() + ComparisonAggregates.NAME_VALUE_CHARS, longName.length());
        assertTrue(longName.endsWith("…"), longName);
    }

    @Test
    void shouldMeasureLengthDriftInCharacters() {
        LengthChange d = ComparisonAggregates.lengthDrift(List.of(new String[] { "请您放心", "好" },
                new String[] { "ab", "abcd" }, new String[] { "abc", "abc" }));
        assertEquals(3, d.comparable());
        assertEquals(3.0, d.candidateMeanLength());
        assertEquals(2.6667, d.baselineMeanLength());
        assertEquals(1.125, d.ratio());
        assertEquals(1.0, d.medianRatio());
        assertNull(ComparisonAggregates.lengthDrift(List.of()).ratio());
    }
}
