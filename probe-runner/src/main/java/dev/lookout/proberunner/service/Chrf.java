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
        // dense ids for the code points of both texts, so that an n-gram packs exactly into a long
        int[] alphabet = alphabet(hyp, ref);
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(alphabet.length - 1));
        boolean packed = bits * maxOrder <= 63;
        int[] hypIds = packed ? ids(hyp, alphabet) : null;
        int[] refIds = packed ? ids(ref, alphabet) : null;
        for (int n = 1; n <= maxOrder; n++) {
            if (hyp.length < n || ref.length < n) {
                break;
            }
            int matches = packed ? packedMatches(hypIds, refIds, n, bits) : stringMatches(hyp, ref, n);
            double precision = (double) matches / (hyp.length - n + 1);
            double recall = (double) matches / (ref.length - n + 1);
            double denominator = factor * precision + recall;
            sum += denominator > 0 ? (1 + factor) * precision * recall / denominator : 0.0;
            effectiveOrders++;
        }
        return effectiveOrders == 0 ? 0.0 : sum / effectiveOrders;
    }

    /** Σ over distinct n-grams of min(count in hyp, count in ref), from the sorted packed n-grams of each side. */
    private static int packedMatches(int[] hyp, int[] ref, int n, int bits) {
        long[] h = packedGrams(hyp, n, bits);
        long[] r = packedGrams(ref, n, bits);
        int matches = 0;
        int i = 0;
        int j = 0;
        while (i < h.length && j < r.length) {
            if (h[i] == r[j]) {
                matches++;
                i++;
                j++;
            } else if (h[i] < r[j]) {
                i++;
            } else {
                j++;
            }
        }
        return matches;
    }

    private static long[] packedGrams(int[] ids, int n, int bits) {
        long[] grams = new long[ids.length - n + 1];
        for (int i = 0; i < grams.length; i++) {
            long g = 0;
            for (int k = 0; k < n; k++) {
                g = (g << bits) | ids[i + k];
            }
            grams[i] = g;
        }
        java.util.Arrays.sort(grams);
        return grams;
    }

    private static int[] alphabet(int[] a, int[] b) {
        int[] all = new int[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        java.util.Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        return java.util.Arrays.copyOf(all, distinct);
    }

    private static int[] ids(int[] cps, int[] alphabet) {
        int[] ids = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            ids[i] = java.util.Arrays.binarySearch(alphabet, cps[i]);
        }
        return ids;
    }

    /** The general path (more distinct characters than fit in a packed n-gram). */
    private static int stringMatches(int[] hyp, int[] ref, int n) {
        Map<String, Integer> hypGrams = ngrams(hyp, n);
        Map<String, Integer> refGrams = ngrams(ref, n);
        int matches = 0;
        for (Map.Entry<String, Integer> e : hypGrams.entrySet()) {
            Integer r = refGrams.get(e.getKey());
            if (r != null) {
                matches += Math.min(r, e.getValue());
            }
        }
        return matches;
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
