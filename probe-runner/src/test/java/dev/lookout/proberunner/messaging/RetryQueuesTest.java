package dev.lookout.proberunner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RetryQueuesTest {

    @Test
    void shouldDoubleFromTheBaseUpToTheMaxPlusALongLevelForRetryAfter() {
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 300000L),
                RetryQueues.levels(1000, 60000));
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 300000L), RetryQueues.levels(100, 2000));
    }

    @Test
    void shouldPickTheSmallestLevelThatIsNotShorterThanTheDelay() {
        List<Long> levels = RetryQueues.levels(100, 2000);
        assertEquals(0, RetryQueues.levelFor(levels, 50));
        assertEquals(4, RetryQueues.levelFor(levels, 1000)); // Retry-After 1 s → the 1.6 s queue, expiring after 1 s
        assertEquals(5, RetryQueues.levelFor(levels, 2000));
        assertEquals(6, RetryQueues.levelFor(levels, 120_000));
        assertEquals(6, RetryQueues.levelFor(levels, 900_000)); // capped at the top level
    }
}
