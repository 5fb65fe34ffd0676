package dev.lookout.ingest.service.detect;


import java.util.ArrayList;
import java.util.List;

/**
 * No meaningful improvement over a window: the mean train loss of the last quarter of the last
 * {@code window} points is less than {@code minImprovement} (relative) below the mean of the window's first
 * quarter, after warm-up. One alarm per plateau (it starts at the window's first step); the next plateau
 * needs real progress first (a quarter-window mean 10 % below the plateau's level). Informational: a plateau late in
 * a run can be convergence — decide
 * whether more steps are worth paying for.
 */
public final class PlateauDetector implements Detector {

    public static final String KIND = "plateau";

    private final int window;
    private final double minImprovement;
    private final long warmupSteps;

    public PlateauDetector(int window, double minImprovement, long warmupSteps) {
        this.window = Math.max(8, window);
        this.minImprovement = minImprovement;
        this.warmupSteps = warmupSteps;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int lookback() {
        return 2 * window;
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended) {
        int[] from = new int[1];
        List<SeriesPoint> all = Texts.finite(history, appended, from);
        int q = window / 4;
        double[] prefix = new double[all.size() + 1];
        for (int i = 0; i < all.size(); i++) {
            prefix[i + 1] = prefix[i] + all.get(i).value();
        }
        // findings are described once at the end: a long plateau extends its last one point by point
        List<double[]> found = new ArrayList<>(); // {start, end, head, tail}
        boolean inPlateau = false;
        int start = -1;
        double progressBelow = Double.NaN;
        for (int i = window - 1; i < all.size(); i++) {
            int w0 = i - window + 1;
            boolean flat = false;
            double head = (prefix[w0 + q] - prefix[w0]) / q;
            double tail = (prefix[i + 1] - prefix[i + 1 - q]) / q;
            if (all.get(w0).step() > warmupSteps && head > 0) {
                flat = (head - tail) / head < minImprovement;
            }
            if (!Double.isNaN(progressBelow)) {
                if (tail < progressBelow) {
                    progressBelow = Double.NaN;
                    inPlateau = false;
                } else {
                    if (!found.isEmpty() && (int) found.get(found.size() - 1)[0] == start && i >= from[0]) {
                        found.set(found.size() - 1, new double[] {start, i, (prefix[start + q] - prefix[start]) / q, tail});
                    }
                    continue;
                }
            }
            if (flat && !inPlateau) {
                inPlateau = true;
                progressBelow = Math.min(head, tail) * 0.9;
                start = w0;
                if (i >= from[0]) {
                    found.add(new double[] {start, i, head, tail});
                }
            }
        }
        List<Finding> findings = new ArrayList<>(found.size());
        for (double[] f : found) {
            findings.add(finding(series, all, (int) f[0], (int) f[1], f[2], f[3]));
        }
        return findings;
    }

    private Finding finding(String series, List<SeriesPoint> all, int start, int end, double head, double tail) {
        double change = (head - tail) / head;
        String how = change >= 0 ? "improved only " + Texts.percent(change) : "rose " + Texts.percent(-change);
        String message = series + " " + how + " over " + (end - start + 1) + " logged points (steps "
                + Texts.step(all.get(start).step()) + "–" + Texts.step(all.get(end).step()) + ", mean " + Texts.num(head)
                + " → " + Texts.num(tail) + "): the run has plateaued; more steps at this learning rate are unlikely to help.";
        return new Finding(KIND, Severity.info, series, all.get(start).step(), all.get(end).step(), message,
                Texts.evidence(all, start, end, 10));
    }
}
