package dev.lookout.ingest.service.detect;


import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A sustained rise of the smoothed train loss: the EMA (weight {@code alpha}) stays more than
 * {@code minRise} (relative) and {@code minAbsRise} (absolute: a loss of 0.005 tripling is noise, not
 * divergence) above its lowest value of the previous {@code window} points for {@code sustain}
 * consecutive points. After an alarm, the next needs the smoothed loss to have recovered first. One spike does not
 * sustain (that is the spike detector's job); warm-up steps and the
 * first {@code minPoints} points are never judged. The alarm starts at the step where the smoothed loss
 * bottomed before the rise.
 */
public final class DivergenceDetector implements Detector {

    public static final String KIND = "divergence";

    private final double alpha;
    private final int window;
    private final double minRise;
    private final int sustain;
    private final long warmupSteps;
    private final int minPoints;
    private final double minAbsRise;

    public DivergenceDetector(double alpha, int window, double minRise, double minAbsRise, int sustain, long warmupSteps,
                              int minPoints) {
        this.minAbsRise = minAbsRise;
        this.alpha = alpha;
        this.window = window;
        this.minRise = minRise;
        this.sustain = sustain;
        this.warmupSteps = warmupSteps;
        this.minPoints = minPoints;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int lookback() {
        return window + sustain + 100;
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended) {
        int[] from = new int[1];
        List<SeriesPoint> all = Texts.finite(history, appended, from);
        double[] ema = Texts.ema(all, alpha);
        // findings are described once at the end: an open divergence extends its last one point by point
        List<int[]> found = new ArrayList<>(); // {bottom, last}
        Deque<Integer> mins = new ArrayDeque<>(); // indexes of the window's EMA minima, increasing values
        int run = 0;
        int bottom = -1;
        boolean open = false;
        double recoverBelow = Double.NaN;
        for (int i = 0; i < all.size(); i++) {
            slideWindow(mins, ema, i);
            boolean judged = i >= minPoints && all.get(i).step() > warmupSteps && !mins.isEmpty();
            double low = judged ? ema[mins.peekFirst()] : 0;
            boolean up = judged && low > 0 && ema[i] > low * (1 + minRise) && ema[i] - low >= minAbsRise;
            if (!Double.isNaN(recoverBelow)) {
                if (ema[i] <= recoverBelow) {
                    recoverBelow = Double.NaN;
                } else {
                    up = false;
                    if (open && i >= from[0]) {
                        found.set(found.size() - 1, new int[] {bottom, i});
                    }
                    continue;
                }
            }
            if (up) {
                if (run == 0) {
                    bottom = mins.peekFirst();
                }
                run++;
                if (run == sustain) {
                    recoverBelow = ema[bottom] * (1 + minRise / 4);
                    run = 0;
                    if (i >= from[0]) {
                        open = true;
                        found.add(new int[] {bottom, i});
                    }
                }
            } else {
                run = 0;
                open = false;
            }
        }
        List<Finding> findings = new ArrayList<>(found.size());
        for (int[] f : found) {
            findings.add(finding(series, all, ema, f[0], f[1]));
        }
        return findings;
    }

    /** Keeps {@code mins} the minima queue of the EMA over points i-window .. i-1 (monotonic deque). */
    private void slideWindow(Deque<Integer> mins, double[] ema, int i) {
        if (i == 0) {
            return;
        }
        int j = i - 1;
        while (!mins.isEmpty() && ema[mins.peekLast()] >= ema[j]) {
            mins.pollLast();
        }
        mins.addLast(j);
        while (mins.peekFirst() < i - window) {
            mins.pollFirst();
        }
    }

    private Finding finding(String series, List<SeriesPoint> all, double[] ema, int bottom, int last) {
        int peak = bottom;
        for (int k = bottom; k <= last; k++) {
            if (ema[k] > ema[peak]) {
                peak = k;
            }
        }
        double rise = ema[peak] / ema[bottom] - 1;
        String message = series + " (smoothed) rose " + Texts.percent(rise) + " from " + Texts.num(ema[bottom])
                + " at step " + Texts.step(all.get(bottom).step()) + " to " + Texts.num(ema[peak]) + " at step "
                + Texts.step(all.get(peak).step()) + " and has not come back: training is diverging; lower the learning "
                + "rate or go back to the checkpoint before step " + Texts.step(all.get(bottom).step()) + ".";
        return new Finding(KIND, rise >= 1.0 ? Severity.critical : Severity.warning, series, all.get(bottom).step(),
                all.get(last).step(), message, Texts.evidence(all, bottom, last, 10));
    }
}
