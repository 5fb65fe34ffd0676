package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.Target;

import java.util.List;
import java.util.Map;

/**
 * GET /api/rounds/{run}: per checkpoint, loss Δ, behaviour Δ and the human verdict, and what is not known; the
 * checkpoint the human ranking recommends, the Bradley–Terry strengths behind it, and run-level notices.
 */
public record RoundReport(RunSummary run, List<CheckpointRow> checkpoints, List<String> missing,
        Recommendation recommendation, List<Strength> strengths, List<Notice> notices) {

    /**
     * The best checkpoint so far by the human ranking ({@code checkpoint}/{@code step} null: not enough evidence).
     * {@code confidence}: high (its interval clears the base and the runner-up), medium (clears the base), low
     * (ranked first, intervals overlap), none. {@code reasons}: the evidence; {@code blockers}: what is missing.
     */
    public record Recommendation(String checkpoint, Long step, String confidence, List<String> reasons,
            List<String> blockers) {
    }

    /** A Bradley–Terry strength (log scale, base model = 0); {@code linked} false: no vote ties it to the base. */
    public record Strength(String checkpointId, Long step, Target target, Double strength, Double low, Double high,
            Long votes, boolean linked) {
    }

    /** Something about the whole run a team must act on, e.g. {@code no-suite}. */
    public record Notice(String code, String message) {
    }

    /**
     * What moved on one behaviour: a suite tag (the probes carrying it) or a rubric tag reviewers chose.
     * {@code direction}: toward (more like what reviewers and checks want), away, or unclear.
     */
    public record BehaviourTag(String tag, Map<String, String> label, String source, String direction,
            BehaviourEvidence evidence) {
    }

    /**
     * The numbers behind a behaviour: probes carrying the tag, how many changed, the check pass-rate change, the
     * human win rate on its items with the Wilson 95 % interval, and (rubric tags) how many tagged votes the
     * candidate won. Null where not known.
     */
    public record BehaviourEvidence(Integer probes, Integer changed, Double shareChanged, Double passRateChange,
            Integer votes, Double winRate, Double low, Double high, Integer taggedWins, Integer taggedVotes) {
    }

    /** Answers copied instead of asked, per side. */
    public record Reused(Integer candidate, Integer baseline) {
    }

    /** A check broken (or fixed) by the candidate, by name. */
    public record NamedCheck(String probeId, Integer index, String type, String name, Integer count) {
    }

    public record RunSummary(String id, String name, String project, Target baseline) {
    }

    /**
     * One checkpoint. {@code behaviour} is the change against the base (the run's baseline, from the checkpoint's
     * probe run); {@code behaviourVsPrevious} the change against the previous checkpoint's target on the same suite
     * version (null for the first checkpoint, whose previous is the base, and while unknown).
     */
    public record CheckpointRow(String checkpointId, Long step, String label, Target target, Loss loss,
            Behaviour behaviour, Behaviour behaviourVsPrevious, Verdict verdict, List<Alarm> alarms, List<Flag> flags,
            List<String> missing, List<Verdict> verdicts, List<BehaviourTag> behaviours, String failureReason,
            List<String> warnings, Reused reused) {
    }

    /** An ingest alarm whose step range overlaps the row's interval: (previous step, step], the first [0, step]. */
    public record Alarm(String kind, String severity, Long fromStep, Long toStep, String message) {
    }

    /** A self-deception flag: what looks like progress but may not be, with the numbers behind it. */
    public record Flag(String kind, String message, Map<String, Object> evidence) {
    }

    public record Loss(Double train, Double trainDelta, Double eval, Double evalDelta) {
    }

    /**
     * A behaviour change of this checkpoint's answers against {@code against} ({@code base} or {@code previous},
     * whose target is {@code baseline}, at {@code baselineStep} for a previous checkpoint). {@code checks} and
     * {@code stockPhrases} are null while the comparison is unknown; {@code stockPhrases} is empty when none rose.
     */
    public record Behaviour(String against, Target baseline, Long baselineStep, String probeRunId, String status,
            Integer total, Integer changed, Double shareChanged, Boolean identicalToBaseline, Checks checks,
            List<StockPhrase> stockPhrases) {
    }

    /** Check pass rates of the pair; {@code passRateChange} = candidate − baseline. */
    public record Checks(Integer evaluated, Double candidatePassRate, Double baselinePassRate, Double passRateChange,
            Integer fixed, Integer broken, List<NamedCheck> brokenChecks) {
    }

    public record StockPhrase(String phrase, Integer candidateCount, Integer baselineCount) {
    }

    /**
     * Votes on this checkpoint against {@code against} (base or previous, at {@code baselineStep}).
     * {@code votesNeeded}: more votes likely to decide it at the current win rate (0 when decided, null when no
     * number of votes would, or over 1,000); {@code stopping}/{@code stopped}: the batch's adaptive stopping rule.
     */
    public record Verdict(int wins, int ties, int losses, int bothBad, int votes, Double winRate, Double low,
            Double high, boolean decided, String against, Long baselineStep, Integer votesNeeded,
            Map<String, Object> stopping, Map<String, Object> stopped) {
    }
}
