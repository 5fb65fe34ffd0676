package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.Target;

import java.util.List;
import java.util.Map;

/** GET /api/rounds/{run}: per checkpoint, loss Δ, behaviour Δ and the human verdict, and what is not known. */
public record RoundReport(RunSummary run, List<CheckpointRow> checkpoints, List<String> missing) {

    public record RunSummary(String id, String name, String project, Target baseline) {
    }

    /**
     * One checkpoint. {@code behaviour} is the change against the base (the run's baseline, from the checkpoint's
     * probe run); {@code behaviourVsPrevious} the change against the previous checkpoint's target on the same suite
     * version (null for the first checkpoint, whose previous is the base, and while unknown).
     */
    public record CheckpointRow(String checkpointId, Long step, String label, Target target, Loss loss,
            Behaviour behaviour, Behaviour behaviourVsPrevious, Verdict verdict, List<Alarm> alarms, List<Flag> flags,
            List<String> missing) {
    }

    /** An ingest alarm whose step range overlaps (previous checkpoint step, this step]. */
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
            Integer fixed, Integer broken) {
    }

    public record StockPhrase(String phrase, Integer candidateCount, Integer baselineCount) {
    }

    public record Verdict(int wins, int ties, int losses, int bothBad, int votes, Double winRate, Double low,
            Double high, boolean decided) {
    }
}
