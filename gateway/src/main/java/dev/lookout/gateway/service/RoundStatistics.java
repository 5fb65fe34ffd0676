package dev.lookout.gateway.service;

/** Wilson intervals and the votes a verdict still needs (pure), as review-service computes them. */
final class RoundStatistics {

    /** z for a two-sided 95 % interval. */
    static final double Z = 1.959963984540054;
    /** No estimate beyond this many more votes. */
    static final int MAX_VOTES_NEEDED = 1000;

    private RoundStatistics() {
    }

    /** Win rate with a tie as half a win; null without wins, ties or losses. */
    static Double winRate(int wins, int ties, int losses) {
        int n = wins + ties + losses;
        return n == 0 ? null : (wins + ties / 2.0) / n;
    }

    /** The Wilson 95 % interval {low, high} of rate {@code p} over {@code n} votes; null when n = 0. */
    static double[] wilson(double p, int n) {
        if (n <= 0) {
            return null;
        }
        double z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** Whether the interval lies entirely on one side of 0.5. */
    static boolean decided(double[] interval) {
        return interval != null && (interval[0] > 0.5 || interval[1] < 0.5);
    }

    /**
     * How many more votes would likely decide a verdict if the win rate stayed where it is: the smallest m such that
     * the Wilson interval at n + m votes excludes 0.5. 0 when already decided; null without votes, at exactly 0.5, or
     * beyond {@link #MAX_VOTES_NEEDED}.
     */
    static Integer votesNeeded(int wins, int ties, int losses) {
        int n = wins + ties + losses;
        Double p = winRate(wins, ties, losses);
        if (p == null || p == 0.5) {
            return null;
        }
        if (decided(wilson(p, n))) {
            return 0;
        }
        for (int m = 1; m <= MAX_VOTES_NEEDED; m++) {
            if (decided(wilson(p, n + m))) {
                return m;
            }
        }
        return null;
    }
}
