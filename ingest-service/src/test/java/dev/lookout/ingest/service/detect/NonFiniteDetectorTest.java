package dev.lookout.ingest.service.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteDetectorTest {

    final NonFiniteDetector detector = new NonFiniteDetector();

    static SeriesPoint p(long step, double v) {
        return new SeriesPoint(step, v);
    }

    @Test
    void shouldWatchLossAndGradNormOnly() {
        assertTrue(detector.watches("train/loss"));
        assertTrue(detector.watches("eval/loss"));
        assertTrue(detector.watches("train/grad_norm"));
        assertFalse(detector.watches("train/learning_rate"));
    }

    @Test
    void shouldRaiseOneCriticalAlarmPerStretch() {
        List<Finding> f = detector.detect("train/loss", List.of(p(1, 2.0)),
                List.of(p(2, Double.NaN), p(3, Double.NaN), p(4, 1.9), p(5, Double.POSITIVE_INFINITY)));
        assertEquals(2, f.size());
        assertEquals(Severity.critical, f.get(0).severity());
        assertEquals(2, f.get(0).fromStep());
        assertEquals(3, f.get(0).toStep());
        assertTrue(f.get(0).message().contains("NaN at step 2"), f.get(0).message());
        assertEquals(5, f.get(1).fromStep());
        assertTrue(f.get(1).message().contains("Infinity"));
    }

    @Test
    void shouldNotRaiseAgainForAStretchContinuingFromHistory() {
        assertTrue(detector.detect("train/loss", List.of(p(2, Double.NaN)), List.of(p(3, Double.NaN))).isEmpty());
    }

    @Test
    void shouldStayQuietOnFiniteValues() {
        assertTrue(detector.detect("train/loss", List.of(), List.of(p(1, 2.0), p(2, 0.0), p(3, 1e-9))).isEmpty());
    }

    @Test
    void shouldKeyTheAlarmTheSameWayWhateverTheSplit() {
        List<SeriesPoint> all = List.of(p(1, 2.0), p(2, 1.9), p(3, Double.NaN), p(4, Double.NaN));
        Finding whole = detector.detect("train/loss", List.of(), all).get(0);
        Finding split = detector.detect("train/loss", all.subList(0, 2), all.subList(2, 4)).get(0);
        assertEquals(whole.fromStep(), split.fromStep());
        assertTrue(detector.detect("train/loss", all.subList(0, 3), all.subList(3, 4)).isEmpty());
    }
}
