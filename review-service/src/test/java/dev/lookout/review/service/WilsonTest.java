package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected values computed by hand from the Wilson formula with z = 1.959964. */
class WilsonTest {

    private static final double EPS = 1e-4;

    @Test
    void shouldUseTheTwoSidedNormalQuantile() {
        assertEquals(1.959964, Wilson.z(0.95), 1e-6);
    }

    @Test
    void shouldGiveTheKnownIntervalForSevenWinsOfTen() {
        Wilson.Interval i = Wilson.interval(7, 10, 0.95);
        assertEquals(0.3968, i.low(), EPS);
        assertEquals(0.8922, i.high(), EPS);
        assertFalse(i.excludes(0.5));
    }

    @Test
    void shouldStayInsideZeroAndOneAtTheEdges() {
        Wilson.Interval none = Wilson.interval(0, 10, 0.95);
        assertEquals(0.0, none.low(), EPS);
        assertEquals(0.2775, none.high(), EPS);
        Wilson.Interval all = Wilson.interval(10, 10, 0.95);
        assertEquals(0.7225, all.low(), EPS);
        assertEquals(1.0, all.high(), EPS);
        assertTrue(all.excludes(0.5));
    }

    @Test
    void shouldAcceptHalfSuccesses() {
        Wilson.Interval i = Wilson.interval(3.5, 5, 0.95);
        assertEquals(0.2988, i.low(), EPS);
        assertEquals(0.9274, i.high(), EPS);
    }

    @Test
    void shouldRejectAnEmptySample() {
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval(0, 0, 0.95));
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval(11, 10, 0.95));
    }
}
