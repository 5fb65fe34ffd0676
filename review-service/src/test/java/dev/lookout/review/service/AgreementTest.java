package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AgreementTest {

    /**
     * The worked example of Fleiss (1971) as reproduced on Wikipedia ("Fleiss' kappa"): 10 subjects, 14 raters,
     * 5 categories; P̄ = 0.378, P_e = 0.2128, κ = 0.210.
     */
    @Test
    void shouldReproduceTheClassicFleissExample() {
        int[][] table = {
                {0, 0, 0, 0, 14},
                {0, 2, 6, 4, 2},
                {0, 0, 3, 5, 6},
                {0, 3, 9, 2, 0},
                {2, 2, 8, 1, 1},
                {7, 7, 0, 0, 0},
                {3, 2, 6, 3, 0},
                {2, 5, 3, 2, 2},
                {6, 5, 2, 1, 0},
                {0, 2, 2, 3, 7},
        };
        // P_i = (Σ n² − 14)/182, numerators 182+46+56+80+60+84+44+32+52+52 = 688 → P̄ = 688/1820 = 0.378022; p_j = (20, 28, 39, 21, 32)/140 → P_e = 4170/19600 = 0.212755; κ = (0.378 − 0.21276)/(1 − 0.21276)
        double pBar = 688.0 / 1820;
        double pE = 4170.0 / 19600;
        assertEquals((pBar - pE) / (1 - pE), Agreement.fleissKappa(table), 1e-12);
        assertEquals(0.20993, Agreement.fleissKappa(table), 1e-4);
    }

    /**
     * Four items over the outcome categories (W = candidate better, L = baseline better, T = tie, X = both bad):
     * <pre>
     *   item  rita  rob  ray   counts (W,L,T,X)   P_i
     *   i1    W     W    -     2,0,0,0           (4 − 2)/(2·1) = 1
     *   i2    W     L    -     1,1,0,0           (1 + 1 − 2)/2 = 0
     *   i3    T     T    T     0,0,3,0           (9 − 3)/(3·2) = 1
     *   i4    L     L    W     1,2,0,0           (1 + 4 − 3)/6 = 1/3
     *   i5    X     -    -     (one reviewer: left out)
     * </pre>
     * P̄ = (1 + 0 + 1 + 1/3)/4 = 7/12; p = (4, 3, 3, 0)/10 → P_e = 0.16 + 0.09 + 0.09 = 0.34;
     * κ = (7/12 − 0.34)/(1 − 0.34) = 0.243333/0.66 = 0.368687.
     * Majorities (more than half): i1 W, i2 none, i3 T, i4 L → rita 3/3, rob 3/3, ray 1/2 (agrees on i3 only).
     */
    @Test
    void shouldComputeKappaAndAgreementWithTheMajorityByHand() {
        Agreement agreement = new Agreement()
                .add("i1", "rita", Outcome.WIN).add("i1", "rob", Outcome.WIN)
                .add("i2", "rita", Outcome.WIN).add("i2", "rob", Outcome.LOSS)
                .add("i3", "rita", Outcome.TIE).add("i3", "rob", Outcome.TIE).add("i3", "ray", Outcome.TIE)
                .add("i4", "rita", Outcome.LOSS).add("i4", "rob", Outcome.LOSS).add("i4", "ray", Outcome.WIN)
                .add("i5", "rita", Outcome.BOTH_BAD);
        Agreement.Result result = agreement.result();
        assertEquals(4, result.items());
        assertEquals(0.368687, result.kappa(), 1e-6);
        assertEquals(3, result.reviewers().size());
        Agreement.ReviewerAgreement ray = result.reviewers().get(0);
        assertEquals("ray", ray.reviewer());
        assertEquals(2, ray.items());
        assertEquals(0.5, ray.agreeWithMajority(), 1e-12);
        Agreement.ReviewerAgreement rita = result.reviewers().get(1);
        assertEquals("rita", rita.reviewer());
        assertEquals(4, rita.items());
        assertEquals(3, rita.majorityItems());
        assertEquals(1.0, rita.agreeWithMajority(), 1e-12);
        assertEquals(1.0, result.reviewers().get(2).agreeWithMajority(), 1e-12);
    }

    @Test
    void shouldHaveNoKappaWithoutMultiReviewerItemsOrVariation() {
        Agreement.Result single = new Agreement().add("i1", "rita", Outcome.WIN).result();
        assertEquals(0, single.items());
        assertNull(single.kappa());
        assertEquals(0, single.reviewers().size());
        // every rating in one category: P_e = 1, kappa undefined
        Agreement.Result unanimous = new Agreement().add("i1", "rita", Outcome.WIN).add("i1", "rob", Outcome.WIN).result();
        assertNull(unanimous.kappa());
        assertEquals(1.0, unanimous.reviewers().get(0).agreeWithMajority(), 1e-12);
    }
}
