package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.Target;

import java.util.List;
import java.util.Map;

/** GET /api/rounds/{run}: per checkpoint, loss Δ, behaviour Δ and the human verdict, and what is not known. */
public record RoundReport(RunSummary run, List<CheckpointRow> checkpoints, List<String> missing) {

    public record RunSummary(String id, String name, String project, Target baseline) {
    }

    public record CheckpointRow(String checkpointId, Long step, String label, Target target, Loss loss,
            Behaviour behaviour, Verdict verdict, List<Alarm> alarms, List<Flag> flags, List<String> missing) {
    }

    /** An ingest alarm whose step range overlaps (previous checkpoint step, this step]. */
    public record Alarm(String kind, String severity, Long fromStep, Long toStep, String message) {
    }

    /** A self-deception flag: what looks like progress but may not be, with the numbers behind it. */
    public record Flag(String kind, String message, Map<String, Object> evidence) {
    }

    public record Loss(Double train, Double trainDelta, Double eval, Double evalDelta) {
    }

    public record Behaviour(String probeRunId, String status, Integer total, Integer changed, Double shareChanged) {
    }

    public record Verdict(int wins, int ties, int losses, int bothBad, int votes, Double winRate, Double low,
            Double high, boolean decided) {
    }
}
