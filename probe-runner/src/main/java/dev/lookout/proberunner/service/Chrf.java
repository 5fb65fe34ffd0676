package dev.lookout.proberunner.service;

import java.util.HashMap;
import java.util.Map;

/**
 * chrF: character n-gram F-score (Popović 2015), as computed by sacreBLEU's default chrF:
 * character n-grams of order 1..6 with whitespace removed, F-beta with beta = 2 per order,
 * averaged over the orders both strings are long enough for. Works on any script (Chinese
 * needs no word segmentation) because it only looks at Unicode code points.
 */
public final class Chrf {

    public static final int DEFAULT_ORDER = 6;
    public static final double DEFAULT_BETA = 2.0;

    private Chrf() {
    }

    /** Similarity of {@code hypothesis} against {@code reference} in [0, 1]; identical strings give 1.0. */
    public static double score(String hypothesis, String reference) {
        return score(hypothesis, reference, DEFAULT_ORDER, DEFAULT_BETA);
    }

    public static double score(String hypothesis, String reference, int maxOrder, double beta) {
        int[] hyp = stripWhitespace(hypothesis == null ? "" : hypothesis);
        int[] ref = stripWhitespace(reference == null ? "" : reference);
        if (hyp.length == 0 && ref.length == 0) {
            return 1.0;
        }
        if (hyp.length == 0 || ref.length == 0) {
            return 0.0;
        }
        if (java.util.Arrays.equals(hyp, ref)) {
            return 1.0;
        }
        double factor = beta * beta;
        double sum = 0.0;
        int effectiveOrders = 0;
        for (int n = 1; n <= maxOrder; n++) {
            if (hyp.length < n || ref.length < n) {
                break;
            }
            Map<String, Integer> hypGrams = ngrams(hyp, n);
            Map<String, Integer> refGrams = ngrams(ref, n);
            int matches = 0;
            for (Map.Entry<String, Integer> e : hypGrams.entrySet()) {
                Integer r = refGrams.get(e.getKey());
                if (r != null) {
                    matches += Math.min(r, e.getValue());
                }
            }
            double precision = (double) matches / (hyp.length - n + 1);
            double recall = (double) matches / (ref.length - n + 1);
            double denominator = factor * precision + recall;
            sum += denominator > 0 ? (1 + factor) * precision * recall / denominator : 0.0;
            effectiveOrders++;
        }
        return effectiveOrders == 0 ? 0.0 : sum / effectiveOrders;
    }

    private static int[] stripWhitespace(String s) {
        return s.codePoints().filter(cp -> !Character.isWhitespace(cp)).toArray();
    }

    private static Map<String, Integer> ngrams(int[] cps, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= cps.length; i++) {
            counts.merge(new String(cps, i, n), 1, Integer::sum);
        }
        return counts;
    }
}
