package dev.lookout.ingest.service;

import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.service.detect.Detector;
import dev.lookout.ingest.service.detect.DivergenceDetector;
import dev.lookout.ingest.service.detect.GradNormDetector;
import dev.lookout.ingest.service.detect.NonFiniteDetector;
import dev.lookout.ingest.service.detect.OverfittingDetector;
import dev.lookout.ingest.service.detect.PlateauDetector;
import dev.lookout.ingest.service.detect.SpikeDetector;
import dev.lookout.ingest.service.detect.TooFastDropDetector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The detector knobs of one project: the configured defaults ({@code lookout.ingest.alarms.*}) with the
 * project's overrides on top. Knobs are named {@code <detector>.<knob>} ({@code spike.window},
 * {@code gradNorm.minRatio}); every detector also has an {@code enabled} switch. {@link #KNOBS} lists them
 * with their types and allowed ranges: the REST contract of {@code /api/projects/{key}/alarm-thresholds}.
 */
public final class AlarmThresholds {

    public enum Type { BOOLEAN, INT, LONG, DOUBLE }

    /** One knob: its detector group, name, type, allowed range and where its default comes from. */
    public record Knob(String group, String name, Type type, double min, boolean minExclusive, double max,
                       Function<IngestConfig.Alarms, Object> fallback) {

        public String path() {
            return group + "." + name;
        }

        /** Why the value is not allowed, or null when it is. */
        String check(Object value) {
            switch (type) {
                case BOOLEAN:
                    return value instanceof Boolean ? null : "must be true or false";
                case INT, LONG:
                    if (!(value instanceof Long l)) {
                        return "must be a whole number";
                    }
                    return range(l.doubleValue());
                default:
                    if (!(value instanceof Double d) || !Double.isFinite(d)) {
                        return "must be a finite number";
                    }
                    return range(d);
            }
        }

        private String range(double v) {
            boolean low = minExclusive ? v <= min : v < min;
            if (low || v > max) {
                return "must be " + (minExclusive ? "> " : ">= ") + show(min) + " and <= " + show(max);
            }
            return null;
        }

        private String show(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
        }
    }

    private static final double BIG = 1e9;

    public static final List<Knob> KNOBS = List.of(
            bool("nonFinite"),
            bool("spike"),
            new Knob("spike", "window", Type.INT, 5, false, 10_000, a -> a.spike().window()),
            new Knob("spike", "minPoints", Type.INT, 1, false, 10_000, a -> a.spike().minPoints()),
            new Knob("spike", "warmupSteps", Type.LONG, 0, false, BIG, a -> a.spike().warmupSteps()),
            new Knob("spike", "threshold", Type.DOUBLE, 0, true, 1e6, a -> a.spike().threshold()),
            new Knob("spike", "minRelativeRise", Type.DOUBLE, 0, false, 1000, a -> a.spike().minRelativeRise()),
            new Knob("spike", "minAbsoluteRise", Type.DOUBLE, 0, false, BIG, a -> a.spike().minAbsoluteRise()),
            bool("divergence"),
            new Knob("divergence", "alpha", Type.DOUBLE, 0, true, 1, a -> a.divergence().alpha()),
            new Knob("divergence", "window", Type.INT, 2, false, 10_000, a -> a.divergence().window()),
            new Knob("divergence", "minRise", Type.DOUBLE, 0, false, 1000, a -> a.divergence().minRise()),
            new Knob("divergence", "minAbsRise", Type.DOUBLE, 0, false, BIG, a -> a.divergence().minAbsRise()),
            new Knob("divergence", "sustain", Type.INT, 1, false, 10_000, a -> a.divergence().sustain()),
            new Knob("divergence", "warmupSteps", Type.LONG, 0, false, BIG, a -> a.divergence().warmupSteps()),
            new Knob("divergence", "minPoints", Type.INT, 1, false, 10_000, a -> a.divergence().minPoints()),
            bool("plateau"),
            new Knob("plateau", "window", Type.INT, 8, false, 10_000, a -> a.plateau().window()),
            new Knob("plateau", "minImprovement", Type.DOUBLE, -1, false, 1, a -> a.plateau().minImprovement()),
            new Knob("plateau", "warmupSteps", Type.LONG, 0, false, BIG, a -> a.plateau().warmupSteps()),
            bool("overfitting"),
            new Knob("overfitting", "minRise", Type.DOUBLE, 0, false, 100, a -> a.overfitting().minRise()),
            new Knob("overfitting", "minTrainDrop", Type.DOUBLE, 0, false, 1, a -> a.overfitting().minTrainDrop()),
            new Knob("overfitting", "minEvalsAfter", Type.INT, 1, false, 1000, a -> a.overfitting().minEvalsAfter()),
            new Knob("overfitting", "trainPoints", Type.INT, 1, false, 10_000, a -> a.overfitting().trainPoints()),
            bool("tooFastDrop"),
            new Knob("tooFastDrop", "alpha", Type.DOUBLE, 0, true, 1, a -> a.tooFastDrop().alpha()),
            new Knob("tooFastDrop", "floor", Type.DOUBLE, 0, false, BIG, a -> a.tooFastDrop().floor()),
            new Knob("tooFastDrop", "minStartLoss", Type.DOUBLE, 0, false, BIG, a -> a.tooFastDrop().minStartLoss()),
            new Knob("tooFastDrop", "sustain", Type.INT, 1, false, 10_000, a -> a.tooFastDrop().sustain()),
            new Knob("tooFastDrop", "fastWindow", Type.INT, 2, false, 10_000, a -> a.tooFastDrop().fastWindow()),
            new Knob("tooFastDrop", "maxDrop", Type.DOUBLE, 0, true, 1, a -> a.tooFastDrop().maxDrop()),
            new Knob("tooFastDrop", "minAbsDrop", Type.DOUBLE, 0, false, BIG, a -> a.tooFastDrop().minAbsDrop()),
            new Knob("tooFastDrop", "warmupSteps", Type.LONG, 0, false, BIG, a -> a.tooFastDrop().warmupSteps()),
            new Knob("tooFastDrop", "minPoints", Type.INT, 1, false, 10_000, a -> a.tooFastDrop().minPoints()),
            new Knob("tooFastDrop", "lookback", Type.INT, 10, false, 20_000, a -> a.tooFastDrop().lookback()),
            bool("gradNorm"),
            new Knob("gradNorm", "window", Type.INT, 5, false, 10_000, a -> a.gradNorm().window()),
            new Knob("gradNorm", "minPoints", Type.INT, 1, false, 10_000, a -> a.gradNorm().minPoints()),
            new Knob("gradNorm", "warmupSteps", Type.LONG, 0, false, BIG, a -> a.gradNorm().warmupSteps()),
            new Knob("gradNorm", "minRatio", Type.DOUBLE, 1, false, 1e6, a -> a.gradNorm().minRatio()),
            new Knob("gradNorm", "threshold", Type.DOUBLE, 0, true, 1e6, a -> a.gradNorm().threshold()),
            new Knob("gradNorm", "criticalRatio", Type.DOUBLE, 1, false, 1e9, a -> a.gradNorm().criticalRatio()));

    private static final Map<String, Knob> BY_PATH;

    static {
        Map<String, Knob> m = new LinkedHashMap<>();
        for (Knob k : KNOBS) {
            m.put(k.path(), k);
        }
        BY_PATH = Collections.unmodifiableMap(m);
    }

    private static Knob bool(String group) {
        return new Knob(group, "enabled", Type.BOOLEAN, 0, false, 1, a -> Boolean.TRUE);
    }

    /** The detector groups in order (the top-level keys of the JSON form). */
    public static List<String> groups() {
        List<String> out = new ArrayList<>();
        for (Knob k : KNOBS) {
            if (!out.contains(k.group())) {
                out.add(k.group());
            }
        }
        return out;
    }

    public static Knob knob(String path) {
        return BY_PATH.get(path);
    }

    /** Effective values by path, in {@link #KNOBS} order: Boolean, Long (INT and LONG) or Double. */
    private final Map<String, Object> values;
    private final Map<String, Object> overrides;

    private AlarmThresholds(Map<String, Object> values, Map<String, Object> overrides) {
        this.values = values;
        this.overrides = overrides;
    }

    /** The configured defaults. */
    public static AlarmThresholds defaults(IngestConfig.Alarms config) {
        return of(config, Map.of());
    }

    /**
     * Defaults with overrides on top. Overrides must have been validated ({@link #problems}); values are
     * Boolean, Long or Double as {@link Knob#check} wants them (an INT knob's Long must fit an int).
     */
    public static AlarmThresholds of(IngestConfig.Alarms config, Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Knob k : KNOBS) {
            Object v = overrides.containsKey(k.path()) ? overrides.get(k.path()) : k.fallback().apply(config);
            values.put(k.path(), normalise(k, v));
        }
        return new AlarmThresholds(Collections.unmodifiableMap(values), Collections.unmodifiableMap(new LinkedHashMap<>(overrides)));
    }

    private static Object normalise(Knob k, Object v) {
        return switch (k.type()) {
            case BOOLEAN -> (Boolean) v;
            case INT, LONG -> ((Number) v).longValue();
            case DOUBLE -> ((Number) v).doubleValue();
        };
    }

    /** path → why the override is not allowed (unknown knob, wrong type, out of range); empty when all are fine. */
    public static Map<String, String> problems(Map<String, Object> overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        overrides.forEach((path, v) -> {
            Knob k = BY_PATH.get(path);
            if (k == null) {
                out.put(path, "unknown alarm threshold");
            } else {
                String why = k.check(v);
                if (why != null) {
                    out.put(path, why);
                }
            }
        });
        return out;
    }

    public Map<String, Object> values() {
        return values;
    }

    /** Only what the project changed. */
    public Map<String, Object> overrides() {
        return overrides;
    }

    private boolean on(String group) {
        return (Boolean) values.get(group + ".enabled");
    }

    private int i(String path) {
        return (int) (long) (Long) values.get(path);
    }

    private long l(String path) {
        return (Long) values.get(path);
    }

    private double d(String path) {
        return (Double) values.get(path);
    }

    /** The enabled detectors, configured with these values. */
    public List<Detector> detectors() {
        List<Detector> out = new ArrayList<>();
        if (on("nonFinite")) {
            out.add(new NonFiniteDetector());
        }
        if (on("spike")) {
            out.add(new SpikeDetector(i("spike.window"), i("spike.minPoints"), l("spike.warmupSteps"), d("spike.threshold"),
                    d("spike.minRelativeRise"), d("spike.minAbsoluteRise")));
        }
        if (on("divergence")) {
            out.add(new DivergenceDetector(d("divergence.alpha"), i("divergence.window"), d("divergence.minRise"),
                    d("divergence.minAbsRise"), i("divergence.sustain"), l("divergence.warmupSteps"), i("divergence.minPoints")));
        }
        if (on("plateau")) {
            out.add(new PlateauDetector(i("plateau.window"), d("plateau.minImprovement"), l("plateau.warmupSteps")));
        }
        if (on("overfitting")) {
            out.add(new OverfittingDetector(d("overfitting.minRise"), d("overfitting.minTrainDrop"), i("overfitting.minEvalsAfter"),
                    i("overfitting.trainPoints")));
        }
        if (on("tooFastDrop")) {
            out.add(new TooFastDropDetector(d("tooFastDrop.alpha"), d("tooFastDrop.floor"), d("tooFastDrop.minStartLoss"),
                    i("tooFastDrop.sustain"), i("tooFastDrop.fastWindow"), d("tooFastDrop.maxDrop"), d("tooFastDrop.minAbsDrop"),
                    l("tooFastDrop.warmupSteps"), i("tooFastDrop.minPoints"), i("tooFastDrop.lookback")));
        }
        if (on("gradNorm")) {
            out.add(new GradNormDetector(i("gradNorm.window"), i("gradNorm.minPoints"), l("gradNorm.warmupSteps"),
                    d("gradNorm.minRatio"), d("gradNorm.threshold"), d("gradNorm.criticalRatio")));
        }
        return out;
    }
}
