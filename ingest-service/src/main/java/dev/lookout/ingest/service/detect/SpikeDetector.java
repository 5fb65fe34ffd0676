package dev.lookout.ingest.service.detect;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Train loss far above its recent robust level: median and MAD over the last {@code window} finite
 * points; a point is a spike when its robust z-score ((v − median) / (1.4826·MAD)) reaches
 * {@code threshold} and it exceeds the median by at least {@code minRelativeRise} of it. Warm-up steps and
 * series with fewer than {@code minPoints} earlier points are never judged. Consecutive spiking points of
 * one append form one alarm.
 */
public final class SpikeDetector implements Detector {

    public static final String KIND = "spike";

    private final int window;
    private final int minPoints;
    private final long warmupSteps;
    private final double threshold;
    private final double minRelativeRise;
    private final double minAbsoluteRise;

    public SpikeDetector(int window, int minPoints, long warmupSteps, double threshold, double minRelativeRise) {
        this(window, minPoints, warmupSteps, threshold, minRelativeRise, 0);
    }

    /**
     * @param minAbsoluteRise the point must also exceed the median by this much in loss units (a loss of 0.002
     *                        jumping to 0.03 late in a memorising run is noise, not a spike worth a look)
     */
    public SpikeDetector(int window, int minPoints, long warmupSteps, double threshold, double minRelativeRise,
                         double minAbsoluteRise) {
        this.minAbsoluteRise = minAbsoluteRise;
        this.window = window;
        this.minPoints = Math.min(minPoints, window);
        this.warmupSteps = warmupSteps;
        this.threshold = threshold;
        this.minRelativeRise = minRelativeRise;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int lookback() {
        return window;
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended) {
        RobustWindow recent = new RobustWindow(window);
        for (SeriesPoint p : history) {
            push(recent, p.value());
        }
        List<Finding> findings = new ArrayList<>();
        List<SeriesPoint> stretch = new ArrayList<>();
        double stretchMedian = 0;
        double stretchZ = 0;
        for (SeriesPoint p : appended) {
            double v = p.value();
            boolean spike = false;
            if (Double.isFinite(v) && p.step() > warmupSteps && recent.size() >= minPoints) {
                double median = recent.median();
                double mad = recent.mad(median);
                double sigma = Math.max(1.4826 * mad, 1e-12);
                double z = (v - median) / sigma;
                if (z >= threshold && v - median >= minRelativeRise * Math.abs(median) && v - median >= minAbsoluteRise) {
                    spike = true;
                    if (stretch.isEmpty()) {
                        stretchMedian = median;
                    }
                    stretchZ = Math.max(stretchZ, z);
                    stretch.add(p);
                }
            }
            if (!spike && !stretch.isEmpty()) {
                findings.add(finding(series, stretch, stretchMedian, stretchZ));
                stretch = new ArrayList<>();
                stretchZ = 0;
            }
            push(recent, v);
        }
        if (!stretch.isEmpty()) {
            findings.add(finding(series, stretch, stretchMedian, stretchZ));
        }
        return findings;
    }

    private Finding finding(String series, List<SeriesPoint> stretch, double median, double z) {
        SeriesPoint peak = stretch.stream().max((a, b) -> Double.compare(a.value(), b.value())).orElseThrow();
        SeriesPoint first = stretch.get(0);
        SeriesPoint last = stretch.get(stretch.size() - 1);
        String where = first.step() == last.step() ? "at step " + first.step() : "from step " + first.step() + " to " + last.step();
        String ratio = median > 0 ? String.format(Locale.ROOT, ", %.1f× its recent median of %.4g", peak.value() / median, median)
                : String.format(Locale.ROOT, " (recent median %.4g)", median);
        String message = String.format(Locale.ROOT, "%s spiked to %.4g %s%s (robust z %s): look at the batch or "
                + "data shard behind it before trusting later checkpoints.", series, peak.value(), where, ratio,
                z > 1e6 ? "very large" : String.format(Locale.ROOT, "%.1f", z));
        return new Finding(KIND, Severity.warning, series, first.step(), last.step(), message,
                List.copyOf(stretch.subList(0, Math.min(stretch.size(), 10))));
    }

    private static void push(RobustWindow recent, double v) {
        if (Double.isFinite(v)) {
            recent.push(v);
        }
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double mad(double[] values, double median) {
        double[] dev = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            dev[i] = Math.abs(values[i] - median);
        }
        return median(dev);
    }
}
