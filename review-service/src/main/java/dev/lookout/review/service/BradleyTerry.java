package dev.lookout.review.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Bradley–Terry strengths from pairwise comparisons (pure, no I/O), fitted with Hunter's MM algorithm
 * (p_i ← W_i / Σ_j n_ij / (p_i + p_j)). A tie counts half a win to each side. Every observed pair also gets one
 * virtual tie (half a win each way), which keeps strengths finite when a target won or lost everything and
 * shrinks small samples towards "no difference". Strengths are on the log scale with the base target fixed at 0
 * (P(i beats j) = 1 / (1 + exp(s_j − s_i))); targets not connected to the base get null.
 * Intervals: percentile bootstrap over the comparisons (resampled with replacement, fixed seed).
 */
public final class BradleyTerry {

    /** One comparison between targets {@code first} and {@code second}: score of first = 1 (win), 0.5 (tie), 0 (loss). */
    public record Comparison(int first, int second, double score) {
    }

    public record Strength(int target, Double strength, Double low, Double high, long comparisons) {
    }

    public static final double PRIOR_TIES = 1.0;
    public static final int RESAMPLES = 500;
    public static final long SEED = 20240617L;
    private static final int MAX_ITERATIONS = 10_000;
    private static final double TOLERANCE = 1e-10;

    private BradleyTerry() {
    }

    /** Log strengths of {@code targets} targets with {@code base} fixed at 0; null for targets not linked to the base. */
    public static Double[] fit(int targets, int base, List<Comparison> comparisons) {
        double[][] wins = new double[targets][targets];
        double[][] games = new double[targets][targets];
        for (Comparison c : comparisons) {
            if (c.first() == c.second()) {
                continue;
            }
            wins[c.first()][c.second()] += c.score();
            wins[c.second()][c.first()] += 1 - c.score();
            games[c.first()][c.second()] += 1;
            games[c.second()][c.first()] += 1;
        }
        boolean[] linked = linked(targets, base, games);
        for (int i = 0; i < targets; i++) {
            for (int j = 0; j < targets; j++) {
                if (i != j && games[i][j] > 0) {
                    wins[i][j] += PRIOR_TIES / 2;
                    games[i][j] += PRIOR_TIES;
                }
            }
        }
        double[] p = new double[targets];
        Arrays.fill(p, 1.0);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double change = 0;
            for (int i = 0; i < targets; i++) {
                if (!linked[i]) {
                    continue;
                }
                double w = 0;
                double denominator = 0;
                for (int j = 0; j < targets; j++) {
                    if (j != i && linked[j] && games[i][j] > 0) {
                        w += wins[i][j];
                        denominator += games[i][j] / (p[i] + p[j]);
                    }
                }
                if (denominator == 0) {
                    continue;
                }
                double updated = w / denominator;
                change = Math.max(change, Math.abs(Math.log(updated) - Math.log(p[i])));
                p[i] = updated;
            }
            double scale = p[base];
            for (int i = 0; i < targets; i++) {
                p[i] /= scale;
            }
            if (change < TOLERANCE) {
                break;
            }
        }
        Double[] strengths = new Double[targets];
        for (int i = 0; i < targets; i++) {
            strengths[i] = linked[i] ? Math.log(p[i]) : null;
        }
        strengths[base] = 0.0;
        return strengths;
    }

    /** Point estimates plus percentile bootstrap intervals at {@code confidence}. */
    public static List<Strength> withIntervals(int targets, int base, List<Comparison> comparisons,
                                               int resamples, long seed, double confidence) {
        Double[] point = fit(targets, base, comparisons);
        long[] counts = new long[targets];
        for (Comparison c : comparisons) {
            counts[c.first()]++;
            counts[c.second()]++;
        }
        double[][] samples = new double[targets][resamples];
        Random random = new Random(seed);
        int n = comparisons.size();
        List<Comparison> resample = new ArrayList<>(n);
        for (int r = 0; r < resamples; r++) {
            resample.clear();
            for (int k = 0; k < n; k++) {
                resample.add(comparisons.get(random.nextInt(n)));
            }
            Double[] fitted = fit(targets, base, resample);
            for (int i = 0; i < targets; i++) {
                // a target that drops out of a resample (or off the base's component) counts as "no difference"
                samples[i][r] = fitted[i] == null ? 0.0 : fitted[i];
            }
        }
        double alpha = (1 - confidence) / 2;
        List<Strength> result = new ArrayList<>(targets);
        for (int i = 0; i < targets; i++) {
            if (point[i] == null) {
                result.add(new Strength(i, null, null, null, counts[i]));
                continue;
            }
            double[] sorted = samples[i].clone();
            Arrays.sort(sorted);
            result.add(new Strength(i, point[i], quantile(sorted, alpha), quantile(sorted, 1 - alpha), counts[i]));
        }
        return result;
    }

    /** Linear interpolation between order statistics (R type 7). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static boolean[] linked(int targets, int base, double[][] games) {
        boolean[] seen = new boolean[targets];
        ArrayList<Integer> stack = new ArrayList<>(List.of(base));
        seen[base] = true;
        while (!stack.isEmpty()) {
            int i = stack.remove(stack.size() - 1);
            for (int j = 0; j < targets; j++) {
                if (!seen[j] && games[i][j] > 0) {
                    seen[j] = true;
                    stack.add(j);
                }
            }
        }
        return seen;
    }
}
