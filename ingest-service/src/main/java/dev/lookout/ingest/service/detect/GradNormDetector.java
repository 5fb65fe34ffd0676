package dev.lookout.ingest.service.detect;

import dev.lookout.ingest.service.MetricNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grad-norm explosion: a finite grad norm at least {@code minRatio} times the median of the previous
 * {@code window} finite values and with a robust z-score (MAD) of at least {@code threshold}, after
 * warm-up (gradients are large at the start of every run). Explosions less than {@code window} points
 * apart are one episode and one alarm (starting at the first); critical when the norm reaches
 * {@code criticalRatio} times the median. The look-back is replayed, so an episode that started in an
 * earlier append raises nothing new.
 */
public final class GradNormDetector implements Detector {

    public static final String KIND = "grad-norm-explosion";

    private final int window;
    private final int minPoints;
    private final long warmupSteps;
    private final double minRatio;
    private final double threshold;
    private final double criticalRatio;

    public GradNormDetector(int window, int minPoints, long warmupSteps, double minRatio, double threshold, double criticalRatio) {
        this.window = window;
        this.minPoints = Math.min(minPoints, window);
        this.warmupSteps = warmupSteps;
        this.minRatio = minRatio;
        this.threshold = threshold;
        this.criticalRatio = criticalRatio;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean watches(String series) {
        return MetricNames.TRAIN_GRAD_NORM.equals(series);
    }

    @Override
    public int lookback() {
        return 3 * window;
    }

    private static final class Episode {
        final List<SeriesPoint> points = new ArrayList<>();
        int firstIndex;
        int lastIndex;
        double median;
        double maxRatio;
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended) {
        int[] from = new int[1];
        List<SeriesPoint> all = Texts.finite(history, appended, from);
        RobustWindow recent = new RobustWindow(window);
        List<Finding> findings = new ArrayList<>();
        Episode episode = null;
        for (int i = 0; i < all.size(); i++) {
            SeriesPoint p = all.get(i);
            double v = p.value();
            if (p.step() > warmupSteps && recent.size() >= minPoints) {
                double m = recent.median();
                double sigma = Math.max(1.4826 * recent.mad(m), 1e-12);
                if (m > 0 && v >= minRatio * m && (v - m) / sigma >= threshold) {
                    if (episode == null || i - episode.lastIndex > window) {
                        emit(series, episode, from[0], findings);
                        episode = new Episode();
                        episode.firstIndex = i;
                        episode.median = m;
                    }
                    episode.lastIndex = i;
                    episode.maxRatio = Math.max(episode.maxRatio, v / m);
                    if (episode.points.size() < 10) {
                        episode.points.add(p);
                    } else {
                        episode.points.set(9, p);
                    }
                }
            }
            recent.push(v);
        }
        emit(series, episode, from[0], findings);
        return findings;
    }

    private void emit(String series, Episode e, int appendedFrom, List<Finding> findings) {
        if (e == null || e.firstIndex < appendedFrom) {
            return;
        }
        SeriesPoint peak = e.points.stream().max((a, b) -> Double.compare(a.value(), b.value())).orElseThrow();
        SeriesPoint first = e.points.get(0);
        SeriesPoint last = e.points.get(e.points.size() - 1);
        String where = first.step() == last.step() ? "at step " + Texts.step(first.step())
                : "repeatedly from step " + Texts.step(first.step()) + " to " + Texts.step(last.step());
        String message = "grad norm exploded " + where + " (up to " + Texts.num(peak.value()) + ", "
                + String.format(Locale.ROOT, "%.0f", e.maxRatio) + "× its recent median of " + Texts.num(e.median)
                + "): updates this large wreck the weights; check the batch, lower the learning rate or clip gradients.";
        findings.add(new Finding(KIND, e.maxRatio >= criticalRatio ? Severity.critical : Severity.warning, series,
                first.step(), last.step(), message, List.copyOf(e.points)));
    }
}
