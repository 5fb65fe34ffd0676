package dev.lookout.ingest.service.detect;

import dev.lookout.ingest.service.MetricNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * NaN or ±Infinity in a loss or grad norm (critical). One alarm per stretch of non-finite points, keyed
 * by the stretch's first step: a stretch that continues from the previous append raises nothing new.
 */
public final class NonFiniteDetector implements Detector {

    public static final String KIND = "non-finite";
    private static final Set<String> WATCHED = Set.of(MetricNames.TRAIN_LOSS, MetricNames.EVAL_LOSS, MetricNames.TRAIN_GRAD_NORM);

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean watches(String series) {
        return WATCHED.contains(series);
    }

    @Override
    public int lookback() {
        return 1;
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended) {
        List<Finding> findings = new ArrayList<>();
        SeriesPoint previous = history.isEmpty() ? null : history.get(history.size() - 1);
        int i = 0;
        while (i < appended.size()) {
            SeriesPoint p = appended.get(i);
            boolean continues = previous != null && !Double.isFinite(previous.value());
            if (Double.isFinite(p.value())) {
                previous = p;
                i++;
                continue;
            }
            int end = i;
            while (end + 1 < appended.size() && !Double.isFinite(appended.get(end + 1).value())) {
                end++;
            }
            if (!continues) {
                SeriesPoint last = appended.get(end);
                List<SeriesPoint> evidence = new ArrayList<>();
                if (previous != null) {
                    evidence.add(previous);
                }
                evidence.addAll(appended.subList(i, Math.min(end + 1, i + 10)));
                String through = last.step() == p.step() ? "" : " and stays non-finite through step " + last.step();
                String lastGood = previous != null ? " (last finite value " + format(previous.value()) + " at step " + previous.step() + ")" : "";
                findings.add(new Finding(KIND, Severity.critical, series, p.step(), last.step(),
                        series + " is " + describe(p.value()) + " at step " + p.step() + through + lastGood
                                + ": training has diverged or overflowed; checkpoints from here on are not usable.",
                        evidence));
            }
            previous = appended.get(end);
            i = end + 1;
        }
        return findings;
    }

    static String describe(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }

    static String format(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
