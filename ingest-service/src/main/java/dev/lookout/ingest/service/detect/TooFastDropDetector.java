package dev.lookout.ingest.service.detect;


import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Train loss collapsing — the classic sign of memorising:
 * <ul>
 * <li>towards zero: the smoothed loss (EMA, weight {@code alpha}) stays below {@code floor} for
 * {@code sustain} points although it was at least {@code minStartLoss} within the look-back (losses that
 * live near zero, such as GRPO's, are not judged);</li>
 * <li>in few steps: after warm-up, the smoothed loss falls by more than {@code maxDrop} of its highest value
 * of the previous {@code fastWindow} points, to a new low well below (by half of {@code maxDrop}) anything
 * seen before that window — so the recovery after a spike is not a collapse.</li>
 * </ul>
 * Both need the drop to be at least {@code minAbsDrop} in loss units. Memorising is a once-per-run finding:
 * each rule raises at most one alarm per replayed look-back.
 */
public final class TooFastDropDetector implements Detector {

    public static final String KIND = "too-fast-drop";

    private final double alpha;
    private final double floor;
    private final double minStartLoss;
    private final int sustain;
    private final int fastWindow;
    private final double maxDrop;
    private final long warmupSteps;
    private final int minPoints;
    private final int lookback;
    private final double minAbsDrop;

    public TooFastDropDetector(double alpha, double floor, double minStartLoss, int sustain, int fastWindow, double maxDrop,
                               double minAbsDrop, long warmupSteps, int minPoints, int lookback) {
        this.minAbsDrop = minAbsDrop;
        this.alpha = alpha;
        this.floor = floor;
        this.minStartLoss = minStartLoss;
        this.sustain = Math.max(1, sustain);
        this.fastWindow = Math.max(2, fastWindow);
        this.maxDrop = maxDrop;
        this.warmupSteps = warmupSteps;
        this.minPoints = minPoints;
        this.lookback = Math.max(lookback, fastWindow + sustain);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int lookback() {
        return lookback;
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended) {
        int[] from = new int[1];
        List<SeriesPoint> all = Texts.finite(history, appended, from);
        double[] ema = Texts.ema(all, alpha);
        List<Finding> findings = new ArrayList<>();
        int highest = -1; // index of the highest EMA so far (within the replayed look-back)
        Deque<Integer> maxes = new ArrayDeque<>(); // sliding max over the previous fastWindow EMA values
        int low = 0;
        boolean zeroRaised = false;
        double priorLow = Double.POSITIVE_INFINITY; // lowest EMA before the fast window
        boolean fastRaised = false;
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
                int j = i - 1;
                while (!maxes.isEmpty() && ema[maxes.peekLast()] <= ema[j]) {
                    maxes.pollLast();
                }
                maxes.addLast(j);
                while (maxes.peekFirst() < i - fastWindow) {
                    maxes.pollFirst();
                }
            }
            if (i - fastWindow - 1 >= 0) {
                priorLow = Math.min(priorLow, ema[i - fastWindow - 1]);
            }
            if (highest < 0 || ema[i] > ema[highest]) {
                highest = i;
            }
            // towards zero
            if (ema[i] < floor && ema[highest] >= minStartLoss && ema[highest] - ema[i] >= minAbsDrop) {
                low++;
                if (low == sustain && !zeroRaised) {
                    zeroRaised = true;
                    if (i >= from[0]) {
                        findings.add(towardsZero(series, all, ema, start(ema, i, ema[highest]), i));
                    }
                }
            } else {
                low = 0;
            }
            // in few steps
            boolean judged = i >= minPoints && all.get(i).step() > warmupSteps && !maxes.isEmpty();
            if (judged && !fastRaised) {
                int top = maxes.peekFirst();
                if (ema[top] > 0 && ema[i] < ema[top] * (1 - maxDrop) && ema[top] - ema[i] >= minAbsDrop
                        && ema[i] < priorLow * (1 - maxDrop / 2)) {
                    fastRaised = true;
                    if (i >= from[0]) {
                        findings.add(fast(series, all, ema, top, i));
                    }
                }
            }
        }
        return findings;
    }

    /** The last point before i where the EMA was still at least half way between the floor and the start level. */
    private static int start(double[] ema, int i, double startLevel) {
        double level = Math.sqrt(Math.max(startLevel, 1e-12) * Math.max(ema[i], 1e-12));
        int k = i;
        while (k > 0 && ema[k] < level) {
            k--;
        }
        return k;
    }

    private Finding towardsZero(String series, List<SeriesPoint> all, double[] ema, int start, int end) {
        String message = series + " (smoothed) fell to " + Texts.num(ema[end]) + " at step " + Texts.step(all.get(end).step())
                + ", down from " + Texts.num(ema[start]) + " at step " + Texts.step(all.get(start).step())
                + ": a loss this close to zero means the model is reproducing its training set (memorising); "
                + "compare eval loss and prefer an earlier checkpoint.";
        return new Finding(KIND, Severity.warning, series, all.get(start).step(), all.get(end).step(), message,
                Texts.evidence(all, start, end, 10));
    }

    private Finding fast(String series, List<SeriesPoint> all, double[] ema, int top, int end) {
        double drop = 1 - ema[end] / ema[top];
        String message = series + " (smoothed) dropped " + Texts.percent(drop) + " in " + (end - top) + " logged points ("
                + Texts.num(ema[top]) + " at step " + Texts.step(all.get(top).step()) + " → " + Texts.num(ema[end]) + " at step "
                + Texts.step(all.get(end).step()) + "): a collapse this fast usually means repeated or leaked data, "
                + "or memorising; check the data and the eval loss.";
        return new Finding(KIND, Severity.warning, series, all.get(top).step(), all.get(end).step(), message,
                Texts.evidence(all, top, end, 10));
    }
}
