package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictTallyTest {

    @Test
    void shouldMapScreenChoicesBackThroughTheStoredSide() {
        assertEquals(Outcome.WIN, Outcome.of(Choice.A, Side.A));
        assertEquals(Outcome.LOSS, Outcome.of(Choice.A, Side.B));
        assertEquals(Outcome.WIN, Outcome.of(Choice.B, Side.B));
        assertEquals(Outcome.LOSS, Outcome.of(Choice.B, Side.A));
        assertEquals(Outcome.TIE, Outcome.of(Choice.TIE, Side.B));
        assertEquals(Outcome.BOTH_BAD, Outcome.of(Choice.BOTH_BAD, Side.A));
    }

    @Test
    void shouldCountTiesAsHalfAndLeaveBothBadOutOfTheRate() {
        VerdictTally t = new VerdictTally();
        add(t, Outcome.WIN, 6);
        add(t, Outcome.TIE, 2);
        add(t, Outcome.LOSS, 2);
        add(t, Outcome.BOTH_BAD, 3);
        assertEquals(13, t.votes());
        assertEquals(10, t.decisive());
        assertEquals(0.7, t.winRate(), 1e-12); // (6 + 2/2) / 10
        assertEquals(0.3968, t.interval().low(), 1e-4);
        assertEquals(0.8922, t.interval().high(), 1e-4);
        assertFalse(t.decided());
    }

    @Test
    void shouldBeDecidedOnceTheIntervalExcludesHalf() {
        VerdictTally t = new VerdictTally();
        add(t, Outcome.WIN, 15);
        add(t, Outcome.LOSS, 5);
        assertEquals(0.75, t.winRate(), 1e-12);
        assertEquals(0.5313, t.interval().low(), 1e-4);
        assertEquals(0.8881, t.interval().high(), 1e-4);
        assertTrue(t.decided());

        VerdictTally losing = new VerdictTally();
        add(losing, Outcome.LOSS, 10);
        assertEquals(0.0, losing.winRate(), 1e-12);
        assertTrue(losing.decided());
    }

    @Test
    void shouldHaveNoRateWithoutDecisiveVotes() {
        VerdictTally t = new VerdictTally();
        assertNull(t.winRate());
        assertNull(t.interval());
        assertFalse(t.decided());
        add(t, Outcome.BOTH_BAD, 4);
        assertNull(t.winRate());
        assertEquals(4, t.bothBad());
    }

    @Test
    void shouldCountTagsPerOutcome() {
        VerdictTally t = new VerdictTally()
                .add(Outcome.WIN, List.of("stock phrase", "better format"))
                .add(Outcome.LOSS, List.of("stock phrase"))
                .add(Outcome.WIN, List.of("stock phrase"))
                .add(Outcome.BOTH_BAD, List.of("wrong fact"));
        assertEquals(new VerdictTally.TagCounts(2, 0, 1, 0), t.tags().get("stock phrase"));
        assertEquals(new VerdictTally.TagCounts(1, 0, 0, 0), t.tags().get("better format"));
        assertEquals(new VerdictTally.TagCounts(0, 0, 0, 1), t.tags().get("wrong fact"));
        assertEquals(List.of("better format", "stock phrase", "wrong fact"), List.copyOf(t.tags().keySet()));
    }

    private static void add(VerdictTally t, Outcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            t.add(outcome, List.of());
        }
    }
}
