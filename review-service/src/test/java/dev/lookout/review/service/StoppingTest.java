package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adaptive stopping: decided (Wilson interval excludes 0.5) or a maximum of counted votes. */
class StoppingTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static VerdictTally wins(int wins, int losses, int bothBad) {
        VerdictTally t = new VerdictTally();
        for (int i = 0; i < wins; i++) {
            t.add(Outcome.WIN, List.of());
        }
        for (int i = 0; i < losses; i++) {
            t.add(Outcome.LOSS, List.of());
        }
        for (int i = 0; i < bothBad; i++) {
            t.add(Outcome.BOTH_BAD, List.of());
        }
        return t;
    }

    @Test
    void shouldNeverStopWithoutARule() {
        assertTrue(Stopping.check(Stopping.Rule.NONE, wins(50, 0, 0), NOW).isEmpty());
        assertTrue(Stopping.check(null, wins(50, 0, 0), NOW).isEmpty());
    }

    @Test
    void shouldStopAtMaxVotesCountingBothBad() {
        Stopping.Rule two = new Stopping.Rule(false, 2);
        assertTrue(Stopping.check(two, wins(1, 0, 0), NOW).isEmpty());
        Optional<Stopping.Stop> stop = Stopping.check(two, wins(1, 0, 1), NOW);
        assertEquals(Optional.of(new Stopping.Stop(Stopping.MAX_VOTES, 2, NOW)), stop);
    }

    @Test
    void shouldStopWhenDecidedOnlyIfAsked() {
        VerdictTally decided = wins(4, 0, 0); // Wilson low = 4 / 7.84 = 0.51
        assertTrue(decided.decided());
        assertTrue(Stopping.check(new Stopping.Rule(false, 100), decided, NOW).isEmpty());
        assertEquals(Stopping.DECIDED, Stopping.check(new Stopping.Rule(true, null), decided, NOW).orElseThrow().reason());
        assertTrue(Stopping.check(new Stopping.Rule(true, null), wins(3, 0, 0), NOW).isEmpty(), "3/3 is not decided");
        assertTrue(Stopping.check(new Stopping.Rule(true, null), wins(5, 5, 0), NOW).isEmpty(), "an even split never is");
    }

    @Test
    void shouldPreferDecidedWhenBothApply() {
        Stopping.Stop stop = Stopping.check(new Stopping.Rule(true, 4), wins(4, 0, 0), NOW).orElseThrow();
        assertEquals(Stopping.DECIDED, stop.reason());
        assertEquals(4, stop.atVotes());
    }
}
