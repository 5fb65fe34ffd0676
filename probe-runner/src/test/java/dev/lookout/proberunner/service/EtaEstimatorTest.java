package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.domain.RunEta;

class EtaEstimatorTest {

    @Test
    void shouldEstimateFromTheRecentRate() {
        // 300 calls in the last 60 s = 5/s; 1,000 pending → 200 s
        RunEta eta = EtaEstimator.estimate(1000, 300, 60.0, 5);
        assertEquals(5.0, eta.callsPerSecond());
        assertEquals(200.0, eta.seconds());
    }

    @Test
    void shouldUseTheSpanSinceTheRunStartedWhenShorterThanTheWindow() {
        // a run 4 s old that finished 6,000 calls: 1,500/s; 1,500 pending → 1 s
        RunEta eta = EtaEstimator.estimate(1500, 6000, 4.0, 5);
        assertEquals(1500.0, eta.callsPerSecond());
        assertEquals(1.0, eta.seconds());
    }

    @Test
    void shouldRoundToOneDecimal() {
        RunEta eta = EtaEstimator.estimate(10, 7, 3.0, 5);
        assertEquals(2.3, eta.callsPerSecond());
        assertEquals(4.3, eta.seconds());
    }

    @Test
    void shouldGiveNoEstimateWithoutEnoughData() {
        assertNull(EtaEstimator.estimate(100, 4, 30.0, 5), "fewer finished calls than minSamples");
        assertNull(EtaEstimator.estimate(100, 0, 60.0, 5), "stalled: nothing finished within the window");
        assertNull(EtaEstimator.estimate(100, 64, 0.3, 5), "first burst, span shorter than a second");
        assertNull(EtaEstimator.estimate(100, 0, 60.0, 0), "a zero minSamples still needs one finished call");
    }

    @Test
    void shouldGiveNoEstimateWhenNothingIsPending() {
        assertNull(EtaEstimator.estimate(0, 500, 60.0, 5));
        assertNull(EtaEstimator.estimate(-3, 500, 60.0, 5));
    }

    @Test
    void shouldGrowWhenTheRateDrops() {
        RunEta fast = EtaEstimator.estimate(600, 600, 60.0, 5);
        RunEta slow = EtaEstimator.estimate(600, 60, 60.0, 5);
        assertEquals(60.0, fast.seconds());
        assertEquals(600.0, slow.seconds());
    }
}
