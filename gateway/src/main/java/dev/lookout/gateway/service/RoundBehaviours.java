package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.ComparisonItemView;
import dev.lookout.gateway.client.UpstreamViews.ComparisonView;
import dev.lookout.gateway.client.UpstreamViews.TagChecksView;
import dev.lookout.gateway.client.UpstreamViews.TagCountsView;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.service.RoundReport.BehaviourEvidence;
import dev.lookout.gateway.service.RoundReport.BehaviourTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * "On which behaviours did the model become more like what we want?" (pure): one entry per suite tag (the probes
 * carrying it) and per rubric tag reviewers chose, with a direction and the numbers behind it.
 */
final class RoundBehaviours {

    static final String TOWARD = "toward";
    static final String AWAY = "away";
    static final String UNCLEAR = "unclear";
    static final String SUITE = "suite";
    static final String RUBRIC = "rubric";

    /** A check pass-rate change of at least this much (10 points) gives a direction when humans have not decided. */
    static final double CHECKS_MOVED = 0.10;
    /** ... over at least this many evaluated checks. */
    static final int CHECKS_EVALUATED_MIN = 3;

    private RoundBehaviours() {
    }

    /**
     * The behaviours of one checkpoint against the base: {@code comparison} (probe-runner, null when unknown or
     * hidden) gives per suite tag the probes, changed answers and pass-rate change; {@code verdict} (review-service,
     * the verdict against the base, null when none) the human win rate per suite tag and the rubric tags.
     */
    static List<BehaviourTag> of(ComparisonView comparison, VerdictView verdict) {
        Map<String, int[]> probes = probesByTag(comparison);
        Map<String, TagChecksView> checks = new TreeMap<>();
        if (comparison != null && comparison.checks() != null && comparison.checks().byTag() != null) {
            comparison.checks().byTag().stream().filter(t -> t != null && t.tag() != null)
                    .forEach(t -> checks.put(t.tag(), t));
        }
        Map<String, TagCountsView> human = verdict == null || verdict.probeTags() == null ? Map.of()
                : verdict.probeTags();
        TreeSet<String> tags = new TreeSet<>(probes.keySet());
        tags.addAll(checks.keySet());
        human.keySet().stream().filter(Objects::nonNull).forEach(tags::add);
        List<BehaviourTag> out = new ArrayList<>();
        for (String tag : tags) {
            out.add(suiteTag(tag, probes.get(tag), checks.get(tag), human.get(tag)));
        }
        if (verdict != null && verdict.tags() != null) {
            new TreeMap<>(verdict.tags()).forEach((tag, counts) -> {
                if (tag != null && counts != null) {
                    Map<String, String> label = verdict.tagLabels() == null ? null : verdict.tagLabels().get(tag);
                    out.add(rubricTag(tag, label, counts));
                }
            });
        }
        return out;
    }

    /** Per suite tag: {probes, changed}; a probe counts in each of its tags. */
    private static Map<String, int[]> probesByTag(ComparisonView comparison) {
        Map<String, int[]> byTag = new TreeMap<>();
        if (comparison == null || comparison.items() == null) {
            return byTag;
        }
        for (ComparisonItemView item : comparison.items()) {
            if (item == null || item.tags() == null) {
                continue;
            }
            for (String tag : new TreeSet<>(item.tags().stream().filter(Objects::nonNull).toList())) {
                int[] counts = byTag.computeIfAbsent(tag, t -> new int[2]);
                counts[0]++;
                if (Boolean.TRUE.equals(item.changed())) {
                    counts[1]++;
                }
            }
        }
        return byTag;
    }

    static BehaviourTag suiteTag(String tag, int[] probes, TagChecksView checks, TagCountsView human) {
        Integer probeCount = probes == null ? null : probes[0];
        Integer changed = probes == null ? null : probes[1];
        Double share = probes == null || probes[0] == 0 ? null : probes[1] / (double) probes[0];
        Double passRateChange = checks == null ? null : checks.passRateChange();
        int evaluated = checks == null || checks.evaluated() == null ? 0 : checks.evaluated();
        int w = human == null ? 0 : n(human.wins());
        int t = human == null ? 0 : n(human.ties());
        int l = human == null ? 0 : n(human.losses());
        Double winRate = RoundStatistics.winRate(w, t, l);
        double[] interval = winRate == null ? null : RoundStatistics.wilson(winRate, w + t + l);
        String direction = humanDirection(interval);
        if (UNCLEAR.equals(direction) && passRateChange != null && evaluated >= CHECKS_EVALUATED_MIN
                && Math.abs(passRateChange) >= CHECKS_MOVED) {
            direction = passRateChange > 0 ? TOWARD : AWAY;
        }
        BehaviourEvidence evidence = new BehaviourEvidence(probeCount, changed, share, passRateChange,
                human == null ? null : w + t + l + n(human.bothBad()), winRate,
                interval == null ? null : interval[0], interval == null ? null : interval[1], null, null);
        return new BehaviourTag(tag, null, SUITE, direction, evidence);
    }

    /**
     * A rubric tag: how often it came with a candidate win among the votes carrying it. toward when the candidate won
     * clearly more of them (Wilson interval of wins among wins and losses above 0.5), away when clearly fewer.
     */
    static BehaviourTag rubricTag(String tag, Map<String, String> label, TagCountsView counts) {
        int w = n(counts.wins());
        int t = n(counts.ties());
        int l = n(counts.losses());
        int all = w + t + l + n(counts.bothBad());
        Double winRate = RoundStatistics.winRate(w, t, l);
        double[] interval = winRate == null ? null : RoundStatistics.wilson(winRate, w + t + l);
        BehaviourEvidence evidence = new BehaviourEvidence(null, null, null, null, all, winRate,
                interval == null ? null : interval[0], interval == null ? null : interval[1], w, all);
        return new BehaviourTag(tag, label, RUBRIC, humanDirection(interval), evidence);
    }

    private static String humanDirection(double[] interval) {
        if (interval == null) {
            return UNCLEAR;
        }
        if (interval[0] > 0.5) {
            return TOWARD;
        }
        return interval[1] < 0.5 ? AWAY : UNCLEAR;
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
