package dev.lookout.proberunner.service;

import java.util.List;

/**
 * Pure comparison of candidate vs baseline answers, probe by probe.
 *
 * <ul>
 * <li>identical: both answered and the texts are equal after trimming;</li>
 * <li>similarity: {@link Chrf} of candidate against baseline (reference);</li>
 * <li>changed: not identical and similarity below {@code changedThreshold} (default 0.9);</li>
 * <li>lengthRatio: candidate length / baseline length in code points;</li>
 * <li>items where either side failed are not comparable: counted in {@code errors}, never "changed";</li>
 * <li>identicalToBaseline: at least one comparable item and the unchanged share of comparable items
 * is at least {@code identicalShare} (default 0.95) — the adapter may not have been applied.</li>
 * </ul>
 */
public final class OutputComparator {

    public record Side(String text, String error) {
        boolean answered() {
            return error == null && text != null;
        }
    }

    public record Pair(Side candidate, Side baseline) {
    }

    public record ItemResult(boolean comparable, boolean identical, Double similarity, boolean changed,
            Double lengthRatio) {
    }

    public record Summary(int total, int comparable, int changed, int identical, int errors, double shareChanged,
            boolean identicalToBaseline) {
    }

    private final double changedThreshold;
    private final double identicalShare;

    public OutputComparator(double changedThreshold, double identicalShare) {
        this.changedThreshold = changedThreshold;
        this.identicalShare = identicalShare;
    }

    public ItemResult compare(Pair pair) {
        if (pair.candidate() == null || pair.baseline() == null || !pair.candidate().answered()
                || !pair.baseline().answered()) {
            return new ItemResult(false, false, null, false, null);
        }
        String c = pair.candidate().text().trim();
        String b = pair.baseline().text().trim();
        boolean identical = c.equals(b);
        double similarity = identical ? 1.0 : Chrf.score(c, b);
        boolean changed = !identical && similarity < changedThreshold;
        return new ItemResult(true, identical, round(similarity), changed, lengthRatio(c, b));
    }

    public Summary summarize(List<ItemResult> items) {
        int comparable = 0;
        int changed = 0;
        int identical = 0;
        for (ItemResult item : items) {
            if (item.comparable()) {
                comparable++;
                if (item.changed()) {
                    changed++;
                }
                if (item.identical()) {
                    identical++;
                }
            }
        }
        double share = comparable == 0 ? 0.0 : (double) changed / comparable;
        boolean identicalToBaseline = comparable > 0 && (double) (comparable - changed) / comparable >= identicalShare;
        return new Summary(items.size(), comparable, changed, identical, items.size() - comparable, round(share),
                identicalToBaseline);
    }

    static Double lengthRatio(String candidate, String baseline) {
        int c = candidate.codePointCount(0, candidate.length());
        int b = baseline.codePointCount(0, baseline.length());
        if (b == 0) {
            return c == 0 ? 1.0 : null;
        }
        return round((double) c / b);
    }

    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }
}
