package dev.lookout.ingest.service;

import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.service.detect.Detector;
import dev.lookout.ingest.service.detect.Detectors;
import dev.lookout.ingest.service.detect.Finding;
import dev.lookout.ingest.service.detect.SeriesPoint;
import dev.lookout.ingest.service.detect.SpikeDetector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlarmThresholdsTest {

    static final IngestConfig.Alarms DEFAULTS = Detectors.defaults().alarms();

    /** 1.00, 1.02, 0.98, … (median 1, MAD 0.02) with one point replaced at the given step. */
    static List<SeriesPoint> flatWith(long spikeStep, double spikeValue) {
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            double v = i == spikeStep ? spikeValue : 1.0 + (i % 3 == 1 ? 0.02 : i % 3 == 2 ? -0.02 : 0);
            out.add(new SeriesPoint(i, v));
        }
        return out;
    }

    static List<Finding> spikes(AlarmThresholds t, List<SeriesPoint> series) {
        List<Finding> out = new ArrayList<>();
        for (Detector d : t.detectors()) {
            if (d.kind().equals(SpikeDetector.KIND)) {
                out.addAll(d.detect("train/loss", List.of(), series));
            }
        }
        return out;
    }

    @Test
    void shouldStartFromTheConfiguredDefaults() {
        AlarmThresholds t = AlarmThresholds.defaults(DEFAULTS);
        assertEquals(50L, t.values().get("spike.window"));
        assertEquals(6.0, t.values().get("spike.threshold"));
        assertEquals(true, t.values().get("plateau.enabled"));
        assertEquals(AlarmThresholds.KNOBS.size(), t.values().size());
        assertTrue(t.overrides().isEmpty());
        assertEquals(7, t.detectors().size());
    }

    @Test
    void shouldSilenceASpikeWhenTheProjectRaisesTheMadFactor() {
        List<SeriesPoint> series = flatWith(200, 1.3); // robust z ≈ 10
        assertEquals(1, spikes(AlarmThresholds.defaults(DEFAULTS), series).size());
        assertTrue(spikes(AlarmThresholds.of(DEFAULTS, Map.of("spike.threshold", 12.0)), series).isEmpty());
    }

    @Test
    void shouldCatchASmallerSpikeWhenTheProjectLowersItsThresholds() {
        List<SeriesPoint> series = flatWith(200, 1.15); // robust z ≈ 5, 15 % above the median
        assertTrue(spikes(AlarmThresholds.defaults(DEFAULTS), series).isEmpty());
        List<Finding> f = spikes(AlarmThresholds.of(DEFAULTS, Map.of("spike.threshold", 4.0, "spike.minRelativeRise", 0.1)), series);
        assertEquals(1, f.size());
        assertEquals(200, f.get(0).fromStep());
    }

    @Test
    void shouldMoveTheWarmupAndSwitchDetectorsOff() {
        List<SeriesPoint> series = flatWith(150, 1.3);
        assertEquals(1, spikes(AlarmThresholds.defaults(DEFAULTS), series).size());
        assertTrue(spikes(AlarmThresholds.of(DEFAULTS, Map.of("spike.warmupSteps", 200L)), series).isEmpty());
        AlarmThresholds off = AlarmThresholds.of(DEFAULTS, Map.of("spike.enabled", false, "plateau.enabled", false));
        assertTrue(spikes(off, series).isEmpty());
        assertEquals(5, off.detectors().size());
        assertFalse(off.detectors().stream().anyMatch(d -> d.kind().equals("plateau")));
        assertEquals(Map.of("spike.enabled", false, "plateau.enabled", false), off.overrides());
    }

    @Test
    void shouldNameEveryKnobThatIsUnknownOfTheWrongTypeOrOutOfRange() {
        Map<String, String> p = AlarmThresholds.problems(Map.of(
                "spike.window", 2L,
                "spike.nope", 1L,
                "divergence.alpha", 0.0,
                "spike.enabled", 1L,
                "plateau.window", 50.5,
                "gradNorm.minRatio", Double.NaN,
                "overfitting.minEvalsAfter", 3L));
        assertEquals("must be >= 5 and <= 10000", p.get("spike.window"));
        assertEquals("unknown alarm threshold", p.get("spike.nope"));
        assertEquals("must be > 0 and <= 1", p.get("divergence.alpha"));
        assertEquals("must be true or false", p.get("spike.enabled"));
        assertEquals("must be a whole number", p.get("plateau.window"));
        assertEquals("must be a finite number", p.get("gradNorm.minRatio"));
        assertFalse(p.containsKey("overfitting.minEvalsAfter"));
        assertEquals(6, p.size());
    }
}
