package dev.lookout.ingest.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Loss at each checkpoint: the EMA-smoothed train loss over finite points at or before the step, the
 * last finite eval loss at or before it, and the change since the previous checkpoint. Null when unknown
 * (a checkpoint may be registered before its loss arrives).
 */
public final class CheckpointLosses {

    public record Losses(Double trainLoss, Double evalLoss, Double trainLossDelta, Double evalLossDelta) {
    }

    private CheckpointLosses() {
    }

    /** All arrays ascending by step; checkpointSteps ascending. */
    public static List<Losses> compute(long[] checkpointSteps, long[] trainSteps, double[] trainValues,
                                       long[] evalSteps, double[] evalValues, double alpha) {
        List<Losses> out = new ArrayList<>(checkpointSteps.length);
        int t = 0;
        int e = 0;
        Double ema = null;
        Double lastEval = null;
        Double prevTrain = null;
        Double prevEval = null;
        for (int c = 0; c < checkpointSteps.length; c++) {
            long step = checkpointSteps[c];
            while (t < trainSteps.length && trainSteps[t] <= step) {
                double v = trainValues[t++];
                if (Double.isFinite(v)) {
                    ema = ema == null ? v : alpha * v + (1 - alpha) * ema;
                }
            }
            while (e < evalSteps.length && evalSteps[e] <= step) {
                double v = evalValues[e++];
                if (Double.isFinite(v)) {
                    lastEval = v;
                }
            }
            Double trainDelta = c > 0 && ema != null && prevTrain != null ? ema - prevTrain : null;
            Double evalDelta = c > 0 && lastEval != null && prevEval != null ? lastEval - prevEval : null;
            out.add(new Losses(ema, lastEval, trainDelta, evalDelta));
            prevTrain = ema;
            prevEval = lastEval;
        }
        return out;
    }
}
