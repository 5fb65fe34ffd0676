package dev.lookout.ingest.service.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpikeDetectorTest {

    final SpikeDetector detector = new SpikeDetector(50, 20, 100, 6.0, 0.25);

    /** A healthy SFT curve: fast early drop, then noisy slow decay (seeded). */
    static List<SeriesPoint> healthy(int n, long seed) {
        Random r = new Random(seed);
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double v = 0.3 + 2.2 * Math.exp(-i / 15.0) + 0.03 * r.nextGaussian();
            out.add(new SeriesPoint((i + 1) * 10L, v));
        }
        return out;
    }

    @Test
    void shouldStayQuietOnAHealthyCurve() {
        assertTrue(detector.detect("train/loss", List.of(), healthy(800, 7)).isEmpty());
    }

    @Test
    void shouldStayQuietOnNoisyDpoLoss() {
        Random r = new Random(3);
        List<SeriesPoint> pts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            pts.add(new SeriesPoint(i + 1, Math.max(0.0, 0.69 + 0.18 * r.nextGaussian())));
        }
        assertTrue(detector.detect("train/loss", List.of(), pts).isEmpty());
    }

    @Test
    void shouldFindASpikeAfterWarmup() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(300, 11));
        pts.set(200, new SeriesPoint(pts.get(200).step(), 4.2));
        List<Finding> f = detector.detect("train/loss", List.of(), pts);
        assertEquals(1, f.size());
        assertEquals(2010, f.get(0).fromStep());
        assertEquals(Severity.warning, f.get(0).severity());
        assertTrue(f.get(0).message().contains("spiked to 4.2"), f.get(0).message());
    }

    @Test
    void shouldIgnoreSpikesDuringWarmup() {
        List<SeriesPoint> pts = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            pts.add(new SeriesPoint(i, i == 50 ? 9.0 : 1.0 + 0.01 * (i % 3)));
        }
        assertTrue(detector.detect("train/loss", List.of(), pts).isEmpty());
    }

    @Test
    void shouldNeedEnoughHistory() {
        List<SeriesPoint> pts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pts.add(new SeriesPoint(200 + i, i == 9 ? 9.0 : 1.0 + 0.01 * (i % 3)));
        }
        assertTrue(detector.detect("train/loss", List.of(), pts).isEmpty());
    }

    @Test
    void shouldUseHistoryFromEarlierAppends() {
        List<SeriesPoint> all = healthy(300, 5);
        List<SeriesPoint> appended = List.of(new SeriesPoint(3010, 3.9));
        List<Finding> f = detector.detect("train/loss", all.subList(250, 300), appended);
        assertEquals(1, f.size());
        assertEquals(3010, f.get(0).fromStep());
    }

    @Test
    void shouldMergeConsecutiveSpikingPointsIntoOneAlarm() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(300, 13));
        for (int i = 200; i < 203; i++) {
            pts.set(i, new SeriesPoint(pts.get(i).step(), 5.0));
        }
        List<Finding> f = detector.detect("train/loss", List.of(), pts);
        assertEquals(1, f.size());
        assertEquals(2010, f.get(0).fromStep());
        assertEquals(2030, f.get(0).toStep());
    }

    @Test
    void shouldComputeMedianAndMad() {
        assertEquals(2.0, SpikeDetector.median(new double[] {3, 1, 2}));
        assertEquals(2.5, SpikeDetector.median(new double[] {4, 1, 2, 3}));
        assertEquals(1.0, SpikeDetector.mad(new double[] {1, 2, 3, 4, 100}, 3));
    }
}
