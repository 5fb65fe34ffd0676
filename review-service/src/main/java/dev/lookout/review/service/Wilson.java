package dev.lookout.review.service;

import org.apache.commons.math3.distribution.NormalDistribution;

/** Wilson score interval for a proportion (successes may be fractional: a tie counts half). */
public final class Wilson {

    public record Interval(double low, double high) {
        public boolean excludes(double p) {
            return p < low || p > high;
        }
    }

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    private Wilson() {
    }

    /** Two-sided z for a confidence level, e.g. 0.95 → 1.959964. */
    public static double z(double confidence) {
        return STANDARD_NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    public static Interval interval(double successes, long n, double confidence) {
        return intervalWithZ(successes, n, z(confidence));
    }

    /** The interval for a z computed once by the caller (e.g. {@code z(0.95)}). */
    public static Interval intervalWithZ(double successes, long n, double z) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive");
        }
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("successes must be within [0, n]");
        }
        double z2 = z * z;
        double p = successes / n;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double margin = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(Math.max(0, centre - margin), Math.min(1, centre + margin));
    }
}
