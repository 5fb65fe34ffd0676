package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Votes needed": the smallest m such that the Wilson interval of the same win rate over n + m votes excludes 0.5. */
class VotesNeededTest {

    private static final double Z = Wilson.z(VerdictTally.CONFIDENCE);

    private static VerdictTally tally(int wins, int ties, int losses, int bothBad) {
        VerdictTally t = new VerdictTally();
        for (int i = 0; i < wins; i++) {
            t.add(Outcome.WIN, List.of());
        }
        for (int i = 0; i < ties; i++) {
            t.add(Outcome.TIE, List.of());
        }
        for (int i = 0; i < losses; i++) {
            t.add(Outcome.LOSS, List.of());
        }
        for (int i = 0; i < bothBad; i++) {
            t.add(Outcome.BOTH_BAD, List.of());
        }
        return t;
    }

    private static boolean decidedAt(double winRate, long n) {
        return Wilson.interval(winRate * n, n, VerdictTally.CONFIDENCE).excludes(0.5);
    }

    @Test
    void shouldNeedThreeMoreAfterOneWin() {
        // p = 1: low = n / (n + z²) → n = 4 is the first with low > 0.5 (4 / 7.84 = 0.510; 3 / 6.84 = 0.439)
        assertEquals(3, tally(1, 0, 0, 0).votesNeeded());
    }

    @Test
    void shouldNeedOneMoreAfterThreeLosses() {
        // p = 0: high = z² / (n + z²) → 3.84 / 6.84 = 0.56 at n = 3, 3.84 / 7.84 = 0.49 at n = 4
        assertEquals(1, tally(0, 0, 3, 0).votesNeeded());
    }

    @Test
    void shouldNeedNoneOnceDecided() {
        VerdictTally decided = tally(10, 0, 0, 0);
        assertTrue(decided.decided());
        assertEquals(0, decided.votesNeeded());
    }

    @Test
    void shouldBeUnknownWithoutDecisiveVotesOrAtAnEvenSplit() {
        assertNull(tally(0, 0, 0, 0).votesNeeded(), "no vote");
        assertNull(tally(0, 0, 0, 4).votesNeeded(), "both-bad only: no win rate");
        assertNull(tally(3, 0, 3, 0).votesNeeded(), "win rate exactly 0.5");
        assertNull(tally(0, 4, 0, 0).votesNeeded(), "ties only: 0.5");
    }

    @Test
    void shouldBeUnknownBeyondAThousandVotes() {
        // 0.51 needs about z² · 0.25 / 0.01² ≈ 9,600 votes
        assertNull(VerdictTally.votesNeeded(0.51, 100));
        assertEquals(VerdictTally.MAX_VOTES_NEEDED, 1000);
    }

    @Test
    void shouldReturnTheSmallestCountThatDecides() {
        for (double p : new double[]{0.6, 0.65, 0.7, 0.35, 0.8, 0.25}) {
            for (long n : new long[]{1, 5, 10, 20}) {
                Integer more = VerdictTally.votesNeeded(p, n);
                assertNotNull(more, "p=" + p + " n=" + n);
                assertTrue(decidedAt(p, n + more), "decides at n + m, p=" + p + " n=" + n);
                if (more > 0) {
                    assertFalse(decidedAt(p, n + more - 1), "m is the smallest, p=" + p + " n=" + n);
                }
            }
        }
    }

    @Test
    void shouldCountTiesAsHalfAWinAndIgnoreBothBad() {
        // 3 wins + 2 ties + 1 loss = 4/6; both-bad votes add nothing to the decisive count
        VerdictTally t = tally(3, 2, 1, 5);
        assertEquals(VerdictTally.votesNeeded(4.0 / 6, 6), t.votesNeeded());
        assertTrue(Z > 1.95 && Z < 1.97);
    }
}
