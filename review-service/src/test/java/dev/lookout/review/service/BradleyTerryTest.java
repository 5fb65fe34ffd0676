package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BradleyTerryTest {

    private static void add(List<BradleyTerry.Comparison> list, int first, int second, double score, int times) {
        for (int i = 0; i < times; i++) {
            list.add(new BradleyTerry.Comparison(first, second, score));
        }
    }

    /**
     * Two targets (0 = base, 1 = candidate): 6 wins, 2 ties, 2 losses for the candidate.
     * Wins with ties as half: candidate 6 + 1 = 7, base 2 + 1 = 3; plus the virtual tie: 7.5 vs 3.5.
     * With two targets the MLE is p1/p0 = W1/W0, so s1 = ln(7.5/3.5) = ln(15/7) = 0.762140.
     */
    @Test
    void shouldMatchTheClosedFormForTwoTargets() {
        List<BradleyTerry.Comparison> votes = new ArrayList<>();
        add(votes, 1, 0, 1.0, 6);
        add(votes, 1, 0, 0.5, 2);
        add(votes, 0, 1, 1.0, 2); // stated from the base's side: the base wins twice
        Double[] s = BradleyTerry.fit(2, 0, votes);
        assertEquals(0.0, s[0], 0.0);
        assertEquals(Math.log(15.0 / 7.0), s[1], 1e-9);
    }

    /**
     * A star (both checkpoints only against the base) decouples: ckpt-200 3 wins 5 losses → ln(3.5/5.5) = −0.451985;
     * ckpt-400 won all 4 → ln(4.5/0.5) = ln 9 = 2.197225 (finite thanks to the virtual tie).
     * A target never compared with anything linked to the base has no strength.
     */
    @Test
    void shouldFitAStarAndLeaveUnlinkedTargetsOut() {
        List<BradleyTerry.Comparison> votes = new ArrayList<>();
        add(votes, 1, 0, 1.0, 3);
        add(votes, 1, 0, 0.0, 5);
        add(votes, 2, 0, 1.0, 4);
        Double[] s = BradleyTerry.fit(4, 0, votes);
        assertEquals(-0.451985, s[1], 1e-6);
        assertEquals(Math.log(9), s[2], 1e-8);
        assertNull(s[3]);
    }

    /** A triangle has no closed form: the fit must satisfy the likelihood equations W_i = Σ_j n_ij p_i/(p_i + p_j). */
    @Test
    void shouldSolveTheLikelihoodEquationsOnATriangle() {
        List<BradleyTerry.Comparison> votes = new ArrayList<>();
        add(votes, 1, 0, 1.0, 7);
        add(votes, 1, 0, 0.0, 3);
        add(votes, 2, 0, 1.0, 8);
        add(votes, 2, 0, 0.5, 2);
        add(votes, 2, 0, 0.0, 2);
        add(votes, 2, 1, 1.0, 4);
        add(votes, 2, 1, 0.0, 3);
        Double[] s = BradleyTerry.fit(3, 0, votes);
        // observed wins incl. the virtual tie per pair (0.5 each way), and games incl. it (+1 per pair)
        double[][] w = {{0, 3.5, 3.5}, {7.5, 0, 3.5}, {9.5, 4.5, 0}};
        double[][] n = {{0, 11, 13}, {11, 0, 8}, {13, 8, 0}};
        for (int i = 0; i < 3; i++) {
            double observed = 0;
            double expected = 0;
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    observed += w[i][j];
                    expected += n[i][j] / (1 + Math.exp(s[j] - s[i]));
                }
            }
            assertEquals(observed, expected, 1e-6, "score equation of target " + i);
        }
        assertTrue(s[2] > s[1] && s[1] > s[0]);
    }

    @Test
    void shouldGiveDeterministicBootstrapIntervalsAroundThePoint() {
        List<BradleyTerry.Comparison> votes = new ArrayList<>();
        add(votes, 1, 0, 1.0, 30);
        add(votes, 1, 0, 0.0, 15);
        add(votes, 1, 0, 0.5, 5);
        List<BradleyTerry.Strength> first = BradleyTerry.withIntervals(2, 0, votes, 500, 7L, 0.95);
        List<BradleyTerry.Strength> again = BradleyTerry.withIntervals(2, 0, votes, 500, 7L, 0.95);
        BradleyTerry.Strength candidate = first.get(1);
        assertEquals(again.get(1), candidate, "same seed, same interval");
        assertEquals(50, candidate.comparisons());
        assertEquals(Math.log(33.0 / 18.0), candidate.strength(), 1e-9); // (30 + 2.5 + 0.5) / (15 + 2.5 + 0.5)
        assertTrue(candidate.low() < candidate.strength() && candidate.strength() < candidate.high());
        // rough check against the normal approximation of ln(W/L): se ≈ sqrt(1/33 + 1/18) ≈ 0.29 → ±0.57
        assertTrue(candidate.high() - candidate.low() > 0.8 && candidate.high() - candidate.low() < 1.6,
                () -> "width " + (candidate.high() - candidate.low()));
        BradleyTerry.Strength base = first.get(0);
        assertEquals(0.0, base.strength(), 0.0);
        assertEquals(0.0, base.low(), 0.0);
        assertEquals(0.0, base.high(), 0.0);
    }
}
