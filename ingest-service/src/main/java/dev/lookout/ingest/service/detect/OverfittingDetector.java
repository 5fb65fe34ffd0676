package dev.lookout.ingest.service.detect;

import dev.lookout.ingest.service.MetricNames;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Eval loss turning up while train loss keeps falling: after the eval loss bottomed (its lowest point so
 * far), at least {@code minEvalsAfter} later evals are all above the bottom, the latest by at least
 * {@code minRise} of it, and the train loss (mean of its last {@code trainPoints} points at or before each
 * step) fell by at least {@code minTrainDrop} between the bottom and now. The alarm starts at the step
 * where eval loss bottomed — the checkpoint to keep.
 */
public final class OverfittingDetector implements Detector {

    public static final String KIND = "overfitting";

    private final double minRise;
    private final double minTrainDrop;
    private final int minEvalsAfter;
    private final int trainPoints;

    public OverfittingDetector(double minRise, double minTrainDrop, int minEvalsAfter, int trainPoints) {
        this.minRise = minRise;
        this.minTrainDrop = minTrainDrop;
        this.minEvalsAfter = Math.max(1, minEvalsAfter);
        this.trainPoints = Math.max(1, trainPoints);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean watches(String series) {
        return MetricNames.EVAL_LOSS.equals(series);
    }

    @Override
    public int lookback() {
        return 10_000;
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended) {
        return detect(series, history, appended, SeriesLookup.NONE);
    }

    @Override
    public List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended, SeriesLookup lookup) {
        int[] from = new int[1];
        List<SeriesPoint> evals = Texts.finite(history, appended, from);
        List<Finding> findings = new ArrayList<>();
        Set<Long> raised = new HashSet<>();
        int bottom = -1;
        for (int i = 0; i < evals.size(); i++) {
            if (bottom < 0 || evals.get(i).value() < evals.get(bottom).value()) {
                bottom = i;
                continue;
            }
            int after = i - bottom;
            if (after < minEvalsAfter || raised.contains(evals.get(bottom).step())) {
                continue;
            }
            boolean allAbove = true;
            for (int k = bottom + 1; k <= i; k++) {
                allAbove &= evals.get(k).value() > evals.get(bottom).value();
            }
            double low = evals.get(bottom).value();
            double now = evals.get(i).value();
            if (!allAbove || low <= 0 || (now - low) / low < minRise) {
                continue;
            }
            double trainThen = trainLevel(lookup, evals.get(bottom).step());
            double trainNow = trainLevel(lookup, evals.get(i).step());
            if (!(trainThen > 0) || !Double.isFinite(trainNow) || (trainThen - trainNow) / trainThen < minTrainDrop) {
                continue;
            }
            raised.add(evals.get(bottom).step());
            if (i >= from[0]) {
                findings.add(finding(series, evals, bottom, i, trainThen, trainNow));
            }
        }
        return findings;
    }

    private double trainLevel(SeriesLookup lookup, long step) {
        List<SeriesPoint> pts = lookup.upTo(MetricNames.TRAIN_LOSS, step, trainPoints);
        double sum = 0;
        int n = 0;
        for (SeriesPoint p : pts) {
            if (Double.isFinite(p.value())) {
                sum += p.value();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private Finding finding(String series, List<SeriesPoint> evals, int bottom, int now, double trainThen, double trainNow) {
        SeriesPoint low = evals.get(bottom);
        SeriesPoint last = evals.get(now);
        double rise = (last.value() - low.value()) / low.value();
        double fall = (trainThen - trainNow) / trainThen;
        String message = "eval loss rose " + Texts.percent(rise) + " since step " + Texts.step(low.step()) + " ("
                + Texts.num(low.value()) + " → " + Texts.num(last.value()) + " at step " + Texts.step(last.step())
                + ") while train loss fell " + Texts.percent(fall) + " (" + Texts.num(trainThen) + " → " + Texts.num(trainNow)
                + "): the model is memorising the training set; the checkpoint at step " + Texts.step(low.step())
                + " generalises best so far.";
        return new Finding(KIND, Severity.warning, series, low.step(), last.step(), message,
                List.copyOf(evals.subList(bottom, Math.min(now + 1, bottom + 10))));
    }
}
