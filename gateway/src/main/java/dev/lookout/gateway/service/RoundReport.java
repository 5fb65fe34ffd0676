package dev.lookout.gateway.service;

import dev.lookout.gateway.client.UpstreamViews.Target;

import java.util.List;

/** GET /api/rounds/{run}: per checkpoint, loss Δ, behaviour Δ and the human verdict, and what is not known. */
public record RoundReport(RunSummary run, List<CheckpointRow> checkpoints, List<String> missing) {

    public record RunSummary(String id, String name, String project, Target baseline) {
    }

    public record CheckpointRow(String checkpointId, Long step, String label, Target target, Loss loss,
            Behaviour behaviour, Verdict verdict, List<String> missing) {
    }

    public record Loss(Double train, Double trainDelta, Double eval, Double evalDelta) {
    }

    public record Behaviour(String probeRunId, String status, Integer total, Integer changed, Double shareChanged) {
    }

    public record Verdict(int wins, int ties, int losses, int bothBad, int votes, Double winRate, Double low,
            Double high, boolean decided) {
    }
}
