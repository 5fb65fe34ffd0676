package dev.lookout.ingest.service.detect;

import java.util.Arrays;

/**
 * The last {@code capacity} values (in arrival order, a ring) kept sorted as well, so the median and the MAD
 * of the window cost O(capacity) per point instead of two sorts. Gives exactly what
 * {@link SpikeDetector#median} and {@link SpikeDetector#mad} give for the same values.
 */
final class RobustWindow {

    private final double[] ring;
    private final double[] sorted;
    private int start;
    private int size;

    RobustWindow(int capacity) {
        ring = new double[Math.max(1, capacity)];
        sorted = new double[ring.length];
    }

    int size() {
        return size;
    }

    /** Adds v, dropping the oldest value when full. */
    void push(double v) {
        if (size == ring.length) {
            double old = ring[start];
            ring[start] = v;
            start = (start + 1) % ring.length;
            int at = Arrays.binarySearch(sorted, 0, size, old);
            System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
            size--;
        } else {
            ring[(start + size) % ring.length] = v;
        }
        int at = Arrays.binarySearch(sorted, 0, size, v);
        if (at < 0) {
            at = -at - 1;
        }
        System.arraycopy(sorted, at, sorted, at + 1, size - at);
        sorted[at] = v;
        size++;
    }

    double median() {
        int n = size;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Median of |v − median| over the window: a merge of the two sorted deviation runs either side of it. */
    double mad(double median) {
        int n = size;
        // values below the median walk down from left, the others walk up from right; both deviation runs grow
        int right = 0;
        while (right < n && sorted[right] < median) {
            right++;
        }
        int left = right - 1;
        double prev = 0;
        double cur = 0;
        for (int k = 0; k <= n / 2; k++) {
            double dl = left >= 0 ? Math.abs(sorted[left] - median) : Double.POSITIVE_INFINITY;
            double dr = right < n ? Math.abs(sorted[right] - median) : Double.POSITIVE_INFINITY;
            prev = cur;
            if (Double.compare(dl, dr) < 0) {
                cur = dl;
                left--;
            } else {
                cur = dr;
                right++;
            }
        }
        return n % 2 == 1 ? cur : (prev + cur) / 2;
    }
}
