package dev.lookout.ingest.service.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sliding sorted window gives bit for bit what sorting a copy of the window gives. */
class RobustWindowTest {

    @Test
    void shouldMatchSortingTheWindowForEveryPoint() {
        Random r = new Random(42);
        for (int capacity : new int[] {1, 2, 3, 7, 50, 64}) {
            RobustWindow w = new RobustWindow(capacity);
            Deque<Double> plain = new ArrayDeque<>();
            for (int i = 0; i < 5_000; i++) {
                // ties, zeros of both signs, big outliers and ordinary noise
                double v = switch (r.nextInt(6)) {
                    case 0 -> r.nextInt(4);
                    case 1 -> r.nextBoolean() ? 0.0 : -0.0;
                    case 2 -> r.nextGaussian() * 1e6;
                    default -> 1 + 0.01 * r.nextGaussian();
                };
                w.push(v);
                if (plain.size() == capacity) {
                    plain.removeFirst();
                }
                plain.addLast(v);
                double[] a = plain.stream().mapToDouble(Double::doubleValue).toArray();
                double median = SpikeDetector.median(a);
                assertEquals(plain.size(), w.size());
                assertEquals(median, w.median(), 0.0, "median, capacity " + capacity + " at " + i);
                assertEquals(SpikeDetector.mad(a, median), w.mad(w.median()), 0.0, "mad, capacity " + capacity + " at " + i);
            }
        }
    }
}
