package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.lookout.proberunner.domain.CheckResult;
import dev.lookout.proberunner.domain.ComparisonReport.ChangedCheck;
import dev.lookout.proberunner.domain.ComparisonReport.CheckChange;
import dev.lookout.proberunner.domain.ComparisonReport.CheckStats;
import dev.lookout.proberunner.domain.ComparisonReport.LengthChange;
import dev.lookout.proberunner.domain.ComparisonReport.TagCheckStats;
import dev.lookout.proberunner.domain.ProbeCheck;

/**
 * Overall numbers of a comparison besides the changed share (pure):
 * <ul>
 * <li>each check on both sides: fixed (baseline failed, candidate passes), broken (the reverse), same, or
 * not-evaluated (a side has no answer, or the check is model-graded);</li>
 * <li>check pass rates over the checks evaluated on both sides, overall and per tag (a probe with several tags counts
 * in each), and their change (candidate − baseline);</li>
 * <li>length drift over comparable probes.</li>
 * </ul>
 */
public final class ComparisonAggregates {

    public static final String FIXED = "fixed";
    public static final String BROKEN = "broken";
    public static final String SAME = "same";
    public static final String NOT_EVALUATED = "not-evaluated";

    /** A probe's id, tags, check diffs and the checks themselves (for their names; may be null). */
    public record ProbeChecks(String probeId, List<String> tags, List<CheckChange> diffs, List<ProbeCheck> checks) {

        public ProbeChecks(List<String> tags, List<CheckChange> diffs) {
            this(null, tags, diffs, null);
        }
    }

    /** Longest check value shown in a check's name. */
    static final int NAME_VALUE_CHARS = 60;

    private ComparisonAggregates() {
    }

    /** Results are null when the side did not answer (then every check is not-evaluated). */
    public static List<CheckChange> diff(List<ProbeCheck> checks, List<CheckResult> candidate,
            List<CheckResult> baseline) {
        if (checks == null || checks.isEmpty()) {
            return List.of();
        }
        List<CheckChange> diffs = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            Boolean c = candidate == null || i >= candidate.size() ? null : candidate.get(i).pass();
            Boolean b = baseline == null || i >= baseline.size() ? null : baseline.get(i).pass();
            String status;
            if (candidate == null || baseline == null || c == null || b == null) {
                status = NOT_EVALUATED;
            } else if (c.equals(b)) {
                status = SAME;
            } else {
                status = c ? FIXED : BROKEN;
            }
            diffs.add(new CheckChange(i, checks.get(i).type(), candidate == null ? null : c,
                    baseline == null ? null : b, status));
        }
        return diffs;
    }

    /** Null when no probe has checks. */
    public static CheckStats summarize(List<ProbeChecks> probes) {
        Tally all = new Tally();
        Map<String, Tally> byTag = new TreeMap<>();
        List<ChangedCheck> broken = new ArrayList<>();
        List<ChangedCheck> fixed = new ArrayList<>();
        boolean any = false;
        for (ProbeChecks p : probes) {
            for (CheckChange d : p.diffs()) {
                any = true;
                all.add(d);
                if (BROKEN.equals(d.status()) || FIXED.equals(d.status())) {
                    ProbeCheck check = p.checks() == null || d.index() >= p.checks().size() ? null
                            : p.checks().get(d.index());
                    (BROKEN.equals(d.status()) ? broken : fixed).add(new ChangedCheck(p.probeId(), d.index(), d.type(),
                            name(d.type(), check == null ? null : check.value()), 1));
                }
                for (String tag : p.tags() == null ? List.<String>of() : p.tags()) {
                    byTag.computeIfAbsent(tag, t -> new Tally()).add(d);
                }
            }
        }
        if (!any) {
            return null;
        }
        List<TagCheckStats> tags = new ArrayList<>();
        byTag.forEach((tag, t) -> tags.add(new TagCheckStats(tag, t.evaluated, t.rate(t.candidatePass),
                t.rate(t.baselinePass), round(t.rate(t.candidatePass) - t.rate(t.baselinePass)), t.fixed, t.broken)));
        return new CheckStats(all.evaluated, all.notEvaluated, all.rate(all.candidatePass),
                all.rate(all.baselinePass), round(all.rate(all.candidatePass) - all.rate(all.baselinePass)), all.fixed,
                all.broken, tags, sorted(broken), sorted(fixed));
    }

    private static List<ChangedCheck> sorted(List<ChangedCheck> checks) {
        return checks.stream().sorted(Comparator.comparing((ChangedCheck c) -> String.valueOf(c.probeId()))
                .thenComparingInt(ChangedCheck::index)).toList();
    }

    /**
     * A short human label of a check: its kind and value, e.g. {@code contains "退款"}, {@code max-length 200},
     * {@code contains-any ["a", "b"]}; long values are cut with "…"; a JSON schema shows only its kind.
     */
    static String name(String type, Object value) {
        String shown;
        if (value == null || value instanceof Map<?, ?>) {
            return type;
        } else if (value instanceof String s) {
            shown = quote(s);
        } else if (value instanceof List<?> list) {
            shown = list.stream().map(v -> v instanceof String s ? quote(s) : String.valueOf(v))
                    .collect(Collectors.joining(", ", "[", "]"));
        } else {
            shown = String.valueOf(value);
        }
        if (shown.codePointCount(0, shown.length()) > NAME_VALUE_CHARS) {
            shown = shown.substring(0, shown.offsetByCodePoints(0, NAME_VALUE_CHARS - 1)) + "…";
        }
        return type + " " + shown;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", " ") + "\"";
    }

    /** Pairs of (candidate text, baseline text) of comparable probes. */
    public static LengthChange lengthDrift(List<String[]> comparable) {
        if (comparable.isEmpty()) {
            return new LengthChange(0, 0, 0, null, null);
        }
        long c = 0;
        long b = 0;
        List<Double> ratios = new ArrayList<>();
        for (String[] pair : comparable) {
            int cl = CheckEvaluator.length(pair[0].strip());
            int bl = CheckEvaluator.length(pair[1].strip());
            c += cl;
            b += bl;
            if (bl > 0) {
                ratios.add((double) cl / bl);
            }
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        Double median = sorted.length == 0 ? null
                : round(sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
        int n = comparable.size();
        return new LengthChange(n, round((double) c / n), round((double) b / n), b == 0 ? null : round((double) c / b),
                median);
    }

    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    private static final class Tally {
        int evaluated;
        int notEvaluated;
        int candidatePass;
        int baselinePass;
        int fixed;
        int broken;

        void add(CheckChange d) {
            if (NOT_EVALUATED.equals(d.status())) {
                notEvaluated++;
                return;
            }
            evaluated++;
            candidatePass += d.candidate() ? 1 : 0;
            baselinePass += d.baseline() ? 1 : 0;
            fixed += FIXED.equals(d.status()) ? 1 : 0;
            broken += BROKEN.equals(d.status()) ? 1 : 0;
        }

        double rate(int passes) {
            return evaluated == 0 ? 0.0 : round((double) passes / evaluated);
        }
    }
}
