package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Simulation: with a known preference p, the Wilson 95 % interval must cover p in about 95 % of trials. */
class WilsonCoverageTest {

    @Test
    void shouldCoverTheTruePreferenceInAboutNinetyFivePercentOfTrials() {
        double p = 0.65;
        int n = 60;
        int trials = 2_000;
        Random random = new Random(5L); // deterministic: a property of the code, not of timing
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            int wins = 0;
            for (int v = 0; v < n; v++) {
                if (random.nextDouble() < p) {
                    wins++;
                }
            }
            Wilson.Interval interval = Wilson.interval(wins, n, 0.95);
            if (!interval.excludes(p)) {
                covered++;
            }
        }
        double coverage = (double) covered / trials;
        assertTrue(coverage >= 0.93 && coverage <= 0.97, "coverage " + coverage);
    }

    @Test
    void shouldCoverWithTiesCountingHalf() {
        // 50 % wins, 20 % ties, 30 % losses → true win rate 0.5 + 0.1 = 0.6
        double truth = 0.6;
        int n = 80;
        int trials = 2_000;
        Random random = new Random(11L);
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            VerdictTally tally = new VerdictTally();
            for (int v = 0; v < n; v++) {
                double u = random.nextDouble();
                tally.add(u < 0.5 ? Outcome.WIN : u < 0.7 ? Outcome.TIE : Outcome.LOSS, null);
            }
            if (!tally.interval().excludes(truth)) {
                covered++;
            }
        }
        double coverage = (double) covered / trials;
        // ties shrink the variance below p(1−p)/n, so Wilson is somewhat conservative here
        assertTrue(coverage >= 0.93 && coverage <= 0.99, "coverage " + coverage);
    }
}
