package dev.lookout.ingest.service;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LttbTest {

    static long[] steps(int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = (i + 1) * 10L;
        }
        return s;
    }

    static double[] noisyDecay(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2.5 * Math.exp(-i / 300.0) + 0.05 * Math.sin(i * 0.7);
        }
        return v;
    }

    @Test
    void shouldReturnEverythingWhenUnderBudget() {
        assertArrayEquals(new int[] {0, 1, 2}, Lttb.select(steps(3), new double[] {1, 2, 3}, 10));
    }

    @Test
    void shouldKeepFirstLastAndBudget() {
        int[] idx = Lttb.select(steps(1000), noisyDecay(1000), 50);
        assertEquals(50, idx.length);
        assertEquals(0, idx[0]);
        assertEquals(999, idx[idx.length - 1]);
        for (int i = 1; i < idx.length; i++) {
            assertTrue(idx[i] > idx[i - 1], "ascending and unique");
        }
    }

    @Test
    void shouldKeepASpike() {
        double[] v = noisyDecay(1000);
        v[517] = 40.0;
        int[] idx = Lttb.select(steps(1000), v, 40);
        assertTrue(Arrays.stream(idx).anyMatch(i -> i == 517));
    }

    @Test
    void shouldKeepEveryNonFinitePoint() {
        double[] v = noisyDecay(1000);
        v[100] = Double.NaN;
        v[600] = Double.POSITIVE_INFINITY;
        v[601] = Double.NEGATIVE_INFINITY;
        int[] idx = Lttb.select(steps(1000), v, 20);
        assertEquals(20, idx.length);
        assertTrue(Arrays.stream(idx).anyMatch(i -> i == 100));
        assertTrue(Arrays.stream(idx).anyMatch(i -> i == 600));
        assertTrue(Arrays.stream(idx).anyMatch(i -> i == 601));
        for (int i = 1; i < idx.length; i++) {
            assertTrue(idx[i] > idx[i - 1]);
        }
    }

    @Test
    void shouldCapWhenEverythingIsNonFinite() {
        double[] v = new double[100];
        Arrays.fill(v, Double.NaN);
        assertEquals(10, Lttb.select(steps(100), v, 10).length);
    }
}
