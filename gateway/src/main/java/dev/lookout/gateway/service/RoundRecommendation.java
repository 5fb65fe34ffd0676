package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.StrengthView;
import dev.lookout.gateway.client.UpstreamViews.Target;
import dev.lookout.gateway.service.RoundReport.CheckpointRow;
import dev.lookout.gateway.service.RoundReport.Recommendation;
import dev.lookout.gateway.service.RoundReport.Strength;
import dev.lookout.gateway.service.RoundReport.Verdict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The checkpoint the human ranking recommends (pure): the highest Bradley–Terry strength among the run's linked
 * checkpoints, with the evidence (strength and interval, win rates against the base and the previous checkpoint),
 * or "not enough evidence" with what is missing.
 */
final class RoundRecommendation {

    static final String HIGH = "high";
    static final String MEDIUM = "medium";
    static final String LOW = "low";
    static final String NONE = "none";

    private RoundRecommendation() {
    }

    /**
     * The strengths mapped to the run's checkpoints (by checkpoint id, else by step, else by a target only one
     * checkpoint uses); the base model and targets of no checkpoint keep null ids. Empty when review-service did not
     * answer.
     */
    static List<Strength> strengths(List<CheckpointRow> rows, Optional<List<StrengthView>> views) {
        if (views.isEmpty()) {
            return List.of();
        }
        List<Strength> out = new ArrayList<>();
        for (StrengthView v : views.get()) {
            if (v == null) {
                continue;
            }
            CheckpointRow row = rowOf(rows, v);
            boolean linked = v.linked() != null ? v.linked() && v.strength() != null : v.strength() != null;
            out.add(new Strength(row == null ? v.checkpointId() : row.checkpointId(),
                    row == null ? v.step() : row.step(), v.target(), v.strength(), v.low(), v.high(),
                    v.votes() == null ? 0L : v.votes(), linked));
        }
        return out;
    }

    private static CheckpointRow rowOf(List<CheckpointRow> rows, StrengthView v) {
        if (v.checkpointId() != null) {
            return rows.stream().filter(r -> v.checkpointId().equals(r.checkpointId())).findFirst().orElse(null);
        }
        if (v.step() != null) {
            return rows.stream().filter(r -> v.step().equals(r.step())).findFirst().orElse(null);
        }
        List<CheckpointRow> sameTarget = rows.stream().filter(r -> sameTarget(r.target(), v.target())).toList();
        return sameTarget.size() == 1 ? sameTarget.get(0) : null;
    }

    private static boolean sameTarget(Target a, Target b) {
        return a != null && b != null && Objects.equals(a.endpoint(), b.endpoint())
                && Objects.equals(a.model(), b.model());
    }

    /** The recommendation over the rows (step order) and their strengths; {@code strengthsKnown} false: BT unknown. */
    static Recommendation recommend(RunView run, List<CheckpointRow> rows, List<Strength> strengths,
            boolean strengthsKnown) {
        List<String> blockers = blockers(run, rows, strengths, strengthsKnown);
        List<Strength> ranked = strengths.stream()
                .filter(s -> s.checkpointId() != null && s.linked() && s.strength() != null)
                .sorted(Comparator.comparing(Strength::strength).reversed()).toList();
        if (ranked.isEmpty()) {
            blockers.add(0, "No checkpoint is linked to the base model by votes yet, so there is no human ranking.");
            return new Recommendation(null, null, NONE, List.of(), blockers);
        }
        Strength best = ranked.get(0);
        Strength runnerUp = ranked.size() > 1 ? ranked.get(1) : null;
        if (best.strength() <= 0) {
            List<String> reasons = List.of("No checkpoint ranks above the base model: the best, step " + best.step()
                    + ", has strength " + num(best.strength()) + interval(best) + ".");
            return new Recommendation(null, null, NONE, reasons, blockers);
        }
        List<String> reasons = new ArrayList<>();
        long votes = strengths.stream().mapToLong(Strength::votes).max().orElse(0);
        reasons.add("Ranked first by Bradley–Terry over the run's votes: strength " + num(best.strength())
                + interval(best) + ", P(beats base) " + pct(1 / (1 + Math.exp(-best.strength()))) + ", "
                + best.votes() + " comparisons.");
        if (runnerUp != null) {
            reasons.add("Runner-up: step " + runnerUp.step() + ", strength " + num(runnerUp.strength())
                    + interval(runnerUp) + ".");
        }
        rows.stream().filter(r -> Objects.equals(r.checkpointId(), best.checkpointId())).findFirst()
                .ifPresent(row -> row.verdicts().forEach(v -> reasons.add(verdictReason(v))));
        String confidence = LOW;
        if (best.low() != null && best.low() > 0) {
            confidence = runnerUp == null || (runnerUp.high() != null && best.low() > runnerUp.high()) ? HIGH : MEDIUM;
        }
        if (votes == 0) {
            confidence = LOW;
        }
        return new Recommendation(best.checkpointId(), best.step(), confidence, reasons, blockers);
    }

    private static String verdictReason(Verdict v) {
        String against = RoundReportComposer.AGAINST_PREVIOUS.equals(v.against())
                ? "Against the previous checkpoint (step " + v.baselineStep() + ")" : "Against the base";
        if (v.winRate() == null) {
            return against + ": no decisive votes yet.";
        }
        return against + ": win rate " + pct(v.winRate()) + " (95 % " + pct(v.low()) + "–" + pct(v.high())
                + ") over " + v.votes() + " votes, " + (v.decided() ? "decided." : "not decided yet.");
    }

    /** What keeps the recommendation from being firm: votes needed, probe runs pending or failed, unlinked checkpoints. */
    static List<String> blockers(RunView run, List<CheckpointRow> rows, List<Strength> strengths,
            boolean strengthsKnown) {
        List<String> blockers = new ArrayList<>();
        if (run.suite() == null || run.suite().isBlank()) {
            blockers.add(RoundReportComposer.NO_SUITE);
        }
        if (!strengthsKnown) {
            blockers.add("review-service did not return the Bradley–Terry ranking.");
        }
        for (CheckpointRow row : rows) {
            String status = row.behaviour() == null ? null : row.behaviour().status();
            if (row.failureReason() != null || "failed".equals(status)) {
                blockers.add("Step " + row.step() + ": the probe run failed"
                        + (row.failureReason() == null ? "." : ": " + row.failureReason()));
            } else if (row.behaviour() == null && run.suite() != null && !run.suite().isBlank()) {
                blockers.add("Step " + row.step() + ": not probed yet.");
            } else if (status != null && !"completed".equals(status)) {
                blockers.add("Step " + row.step() + ": the probe run is " + status + ".");
            }
            for (Verdict v : row.verdicts()) {
                verdictBlocker(row, v).ifPresent(blockers::add);
            }
            boolean linked = strengths.stream().anyMatch(s -> Objects.equals(s.checkpointId(), row.checkpointId())
                    && s.linked());
            if (strengthsKnown && !linked) {
                blockers.add("Step " + row.step() + " is not linked to the base model by any vote, so it is not"
                        + " ranked.");
            }
        }
        return blockers;
    }

    private static Optional<String> verdictBlocker(CheckpointRow row, Verdict v) {
        if (v.decided()) {
            return Optional.empty();
        }
        String pair = "Step " + row.step() + " vs " + (RoundReportComposer.AGAINST_PREVIOUS.equals(v.against())
                ? "step " + v.baselineStep() : "base");
        if (v.votes() == 0 || v.winRate() == null) {
            return Optional.of(pair + ": no votes yet.");
        }
        String rate = " (win rate " + pct(v.winRate()) + ", 95 % " + pct(v.low()) + "–" + pct(v.high()) + ")";
        if (v.votesNeeded() == null) {
            return Optional.of(pair + ": undecided" + rate + "; more votes are unlikely to decide it at this rate.");
        }
        return Optional.of(pair + ": about " + v.votesNeeded() + " more vote" + (v.votesNeeded() == 1 ? "" : "s")
                + " would likely decide it" + rate + ".");
    }

    private static String interval(Strength s) {
        return s.low() == null || s.high() == null ? "" : " (95 % " + num(s.low()) + " to " + num(s.high()) + ")";
    }

    private static String num(Double value) {
        return value == null ? "?" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String pct(Double share) {
        return share == null ? "?" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}
