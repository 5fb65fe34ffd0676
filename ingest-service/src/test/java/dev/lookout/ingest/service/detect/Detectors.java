package dev.lookout.ingest.service.detect;

import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.service.AlarmEngine;
import dev.lookout.ingest.service.MetricPoint;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helper: the configured detectors with their defaults, run over in-memory points like the engine does. */
public final class Detectors {

    private Detectors() {
    }

    public static IngestConfig defaults(String... keyValues) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().withMapping(IngestConfig.class);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            b.withDefaultValue(keyValues[i], keyValues[i + 1]);
        }
        SmallRyeConfig config = b.build();
        return config.getConfigMapping(IngestConfig.class);
    }

    /** Series by name, each (step) once with the last value winning, ascending. */
    public static Map<String, List<SeriesPoint>> series(List<MetricPoint> points) {
        Map<String, TreeMap<Long, Double>> bySeries = new TreeMap<>();
        for (MetricPoint p : points) {
            bySeries.computeIfAbsent(p.name(), k -> new TreeMap<>()).put(p.step(), p.value());
        }
        Map<String, List<SeriesPoint>> out = new TreeMap<>();
        bySeries.forEach((name, m) -> {
            List<SeriesPoint> l = new ArrayList<>();
            m.forEach((s, v) -> l.add(new SeriesPoint(s, v)));
            out.put(name, l);
        });
        return out;
    }

    public static Detector.SeriesLookup lookup(Map<String, List<SeriesPoint>> series) {
        return (name, step, limit) -> {
            List<SeriesPoint> l = series.getOrDefault(name, List.of());
            int end = 0;
            while (end < l.size() && l.get(end).step() <= step) {
                end++;
            }
            return l.subList(Math.max(0, end - limit), end);
        };
    }

    /** All findings of all default detectors over a whole upload. */
    public static List<Finding> run(List<MetricPoint> points, IngestConfig config) {
        Map<String, List<SeriesPoint>> series = series(points);
        List<Finding> out = new ArrayList<>();
        for (Detector d : AlarmEngine.detectors(config.alarms())) {
            series.forEach((name, pts) -> {
                if (d.watches(name)) {
                    out.addAll(d.detect(name, List.of(), pts, lookup(series)));
                }
            });
        }
        out.sort(Comparator.comparing(Finding::kind).thenComparing(Finding::fromStep));
        return out;
    }
}
