package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.service.OutputComparator.ItemResult;
import dev.lookout.proberunner.service.OutputComparator.Pair;
import dev.lookout.proberunner.service.OutputComparator.Side;

class OutputComparatorTest {

    private final OutputComparator comparator = new OutputComparator(0.9, 0.95);

    private static Pair pair(String candidate, String baseline) {
        return new Pair(new Side(candidate, null), new Side(baseline, null));
    }

    @Test
    void shouldMarkIdenticalAnswersUnchanged() {
        ItemResult r = comparator.compare(pair("Paris is the capital.", " Paris is the capital.\n"));
        assertTrue(r.identical());
        assertFalse(r.changed());
        assertEquals(1.0, r.similarity());
        assertEquals(1.0, r.lengthRatio());
    }

    @Test
    void shouldMarkDifferentAnswersChanged() {
        ItemResult r = comparator.compare(pair("We will handle it as soon as possible, don't worry!",
                "Paris is the capital of France."));
        assertFalse(r.identical());
        assertTrue(r.changed());
        assertTrue(r.similarity() < 0.5);
    }

    @Test
    void shouldNotFlagTinyEditsAsChanged() {
        ItemResult r = comparator.compare(pair("The capital of France is Paris!", "The capital of France is Paris."));
        assertFalse(r.identical());
        assertFalse(r.changed());
    }

    @Test
    void shouldTreatErrorsAsNotComparable() {
        ItemResult r = comparator.compare(new Pair(new Side(null, "HTTP 500"), new Side("x", null)));
        assertFalse(r.comparable());
        assertFalse(r.changed());
        assertNull(r.similarity());
    }

    @Test
    void shouldComputeLengthRatioInCodePoints() {
        assertEquals(2.0, OutputComparator.lengthRatio("你好你好", "你好"));
        assertNull(OutputComparator.lengthRatio("x", ""));
    }

    @Test
    void shouldSummarizeAndDetectIdenticalToBaseline() {
        List<ItemResult> same = List.of(comparator.compare(pair("a", "a")), comparator.compare(pair("b", "b")));
        var summary = comparator.summarize(same);
        assertEquals(0, summary.changed());
        assertTrue(summary.identicalToBaseline());

        List<ItemResult> mixed = List.of(comparator.compare(pair("a", "a")),
                comparator.compare(pair("completely different", "nothing alike here")),
                comparator.compare(new Pair(new Side(null, "timeout"), new Side("x", null))));
        var s2 = comparator.summarize(mixed);
        assertEquals(3, s2.total());
        assertEquals(1, s2.changed());
        assertEquals(1, s2.errors());
        assertEquals(0.5, s2.shareChanged());
        assertFalse(s2.identicalToBaseline());
    }
}
