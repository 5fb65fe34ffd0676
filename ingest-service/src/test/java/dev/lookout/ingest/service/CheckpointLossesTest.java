package dev.lookout.ingest.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CheckpointLossesTest {

    @Test
    void shouldSmoothTrainLossTakeLastEvalAndComputeDeltas() {
        List<CheckpointLosses.Losses> l = CheckpointLosses.compute(new long[] {20, 40},
                new long[] {10, 20, 30, 40}, new double[] {2.0, 1.0, Double.NaN, 0.5},
                new long[] {20, 40}, new double[] {1.8, 1.5}, 0.5);
        assertEquals(1.5, l.get(0).trainLoss(), 1e-12);     // 2.0 → 0.5*1+0.5*2
        assertEquals(1.8, l.get(0).evalLoss());
        assertNull(l.get(0).trainLossDelta());
        assertEquals(1.0, l.get(1).trainLoss(), 1e-12);     // NaN skipped, 0.5*0.5+0.5*1.5
        assertEquals(-0.5, l.get(1).trainLossDelta(), 1e-12);
        assertEquals(-0.3, l.get(1).evalLossDelta(), 1e-12);
    }

    @Test
    void shouldBeNullBeforeAnyLossArrives() {
        List<CheckpointLosses.Losses> l = CheckpointLosses.compute(new long[] {5, 50},
                new long[] {10}, new double[] {2.0}, new long[0], new double[0], 0.2);
        assertNull(l.get(0).trainLoss());
        assertNull(l.get(0).evalLoss());
        assertEquals(2.0, l.get(1).trainLoss());
        assertNull(l.get(1).trainLossDelta(), "no delta against an unknown loss");
        assertNull(l.get(1).evalLoss());
    }
}
