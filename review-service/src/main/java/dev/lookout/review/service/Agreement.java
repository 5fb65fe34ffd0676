package dev.lookout.review.service;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inter-reviewer agreement over the items that have two or more reviewers (pure, no I/O).
 * Categories are the four outcomes seen from the candidate (the screen choice mapped back through the item's
 * stored side), so that "A" on one item and "B" on another mean the same thing when they pick the same target.
 *
 * <p>Fleiss' kappa for a varying number of raters per item: P_i = (Σ_j n_ij² − n_i) / (n_i (n_i − 1)),
 * P̄ = mean P_i, p_j = Σ_i n_ij / Σ_i n_i, P_e = Σ_j p_j², κ = (P̄ − P_e) / (1 − P_e); undefined (null) when
 * P_e = 1 (every rating in one category) or no item has two reviewers.
 *
 * <p>Agreement with the majority: an item has a majority when one category holds more than half of its
 * ratings (the reviewer's own rating included); a reviewer's share is over their multi-reviewer items that have one.
 */
public final class Agreement {

    public record ReviewerAgreement(String reviewer, long items, long majorityItems, Double agreeWithMajority) {
    }

    public record Result(long items, Double kappa, List<ReviewerAgreement> reviewers) {
    }

    private final Map<Object, Map<String, Outcome>> ratings = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));

    /** One counted rating (latest vote of a reviewer on an item). */
    public Agreement add(Object item, String reviewer, Outcome outcome) {
        ratings.computeIfAbsent(item, k -> new TreeMap<>()).put(reviewer, outcome);
        return this;
    }

    public Result result() {
        List<int[]> table = new ArrayList<>();
        Map<String, long[]> perReviewer = new TreeMap<>(); // items, majorityItems, agreeing
        for (Map<String, Outcome> byReviewer : ratings.values()) {
            if (byReviewer.size() < 2) {
                continue;
            }
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            byReviewer.values().forEach(o -> counts.merge(o, 1, Integer::sum));
            int[] row = new int[Outcome.values().length];
            counts.forEach((o, n) -> row[o.ordinal()] = n);
            table.add(row);
            Outcome majority = counts.entrySet().stream()
                    .filter(e -> e.getValue() * 2 > byReviewer.size())
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            byReviewer.forEach((reviewer, outcome) -> {
                long[] r = perReviewer.computeIfAbsent(reviewer, k -> new long[3]);
                r[0]++;
                if (majority != null) {
                    r[1]++;
                    if (majority == outcome) {
                        r[2]++;
                    }
                }
            });
        }
        List<ReviewerAgreement> reviewers = new ArrayList<>();
        perReviewer.forEach((reviewer, r) -> reviewers.add(
                new ReviewerAgreement(reviewer, r[0], r[1], r[1] == 0 ? null : (double) r[2] / r[1])));
        return new Result(table.size(), fleissKappa(table.toArray(int[][]::new)), reviewers);
    }

    /**
     * Fleiss' kappa of a subjects × categories count table; rows may have different totals (each ≥ 2).
     * Null when there is no row or the expected agreement is 1.
     */
    public static Double fleissKappa(int[][] counts) {
        if (counts.length == 0) {
            return null;
        }
        int categories = counts[0].length;
        double[] perCategory = new double[categories];
        double total = 0;
        double sumP = 0;
        for (int[] row : counts) {
            long n = 0;
            long squares = 0;
            for (int j = 0; j < categories; j++) {
                n += row[j];
                squares += (long) row[j] * row[j];
                perCategory[j] += row[j];
            }
            if (n < 2) {
                throw new IllegalArgumentException("every subject needs at least two ratings");
            }
            total += n;
            sumP += (double) (squares - n) / (n * (n - 1));
        }
        double pBar = sumP / counts.length;
        double pE = 0;
        for (double c : perCategory) {
            double p = c / total;
            pE += p * p;
        }
        if (1 - pE < 1e-12) {
            return null;
        }
        return (pBar - pE) / (1 - pE);
    }
}
