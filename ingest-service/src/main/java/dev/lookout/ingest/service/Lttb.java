package dev.lookout.ingest.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013) that keeps every non-finite point:
 * NaN and ±Infinity are exactly what a chart must not hide, so they are always kept and LTTB picks the
 * remaining budget among the finite points.
 */
public final class Lttb {

    private Lttb() {
    }

    /**
     * @param steps  ascending steps
     * @param values values at those steps
     * @return the indexes to keep, ascending; at most max(maxPoints, 2) of them
     */
    public static int[] select(long[] steps, double[] values, int maxPoints) {
        int n = steps.length;
        int budget = Math.max(maxPoints, 2);
        if (n <= budget) {
            return range(n);
        }
        List<Integer> nonFinite = new ArrayList<>();
        List<Integer> finite = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (Double.isFinite(values[i]) ? finite : nonFinite).add(i);
        }
        if (nonFinite.size() >= budget) {
            return evenly(nonFinite, budget);
        }
        int[] kept = lttb(finite, steps, values, budget - nonFinite.size());
        int[] out = new int[kept.length + nonFinite.size()];
        int a = 0;
        int b = 0;
        int k = 0;
        while (a < kept.length || b < nonFinite.size()) {
            if (b >= nonFinite.size() || (a < kept.length && kept[a] < nonFinite.get(b))) {
                out[k++] = kept[a++];
            } else {
                out[k++] = nonFinite.get(b++);
            }
        }
        return out;
    }

    private static int[] lttb(List<Integer> idx, long[] steps, double[] values, int threshold) {
        int n = idx.size();
        if (n <= threshold || n <= 2) {
            return idx.stream().mapToInt(Integer::intValue).toArray();
        }
        if (threshold < 3) {
            return threshold <= 1 ? new int[] {idx.get(n - 1)} : new int[] {idx.get(0), idx.get(n - 1)};
        }
        int[] out = new int[threshold];
        int k = 0;
        out[k++] = idx.get(0);
        double every = (double) (n - 2) / (threshold - 2);
        int a = 0;
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double avgX = 0;
            double avgY = 0;
            for (int j = avgStart; j < avgEnd; j++) {
                avgX += steps[idx.get(j)];
                avgY += values[idx.get(j)];
            }
            int len = Math.max(avgEnd - avgStart, 1);
            avgX /= len;
            avgY /= len;
            int rangeStart = (int) Math.floor(i * every) + 1;
            int rangeEnd = (int) Math.floor((i + 1) * every) + 1;
            double ax = steps[idx.get(a)];
            double ay = values[idx.get(a)];
            double maxArea = -1;
            int chosen = rangeStart;
            for (int j = rangeStart; j < rangeEnd; j++) {
                double area = Math.abs((ax - avgX) * (values[idx.get(j)] - ay) - (ax - steps[idx.get(j)]) * (avgY - ay));
                if (area > maxArea) {
                    maxArea = area;
                    chosen = j;
                }
            }
            out[k++] = idx.get(chosen);
            a = chosen;
        }
        out[k] = idx.get(n - 1);
        return out;
    }

    private static int[] evenly(List<Integer> idx, int budget) {
        int[] out = new int[budget];
        for (int i = 0; i < budget; i++) {
            out[i] = idx.get((int) ((long) i * (idx.size() - 1) / Math.max(budget - 1, 1)));
        }
        return out;
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
