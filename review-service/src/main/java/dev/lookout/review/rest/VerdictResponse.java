package dev.lookout.review.rest;

import dev.lookout.review.service.RubricTag;
import dev.lookout.review.service.Stopping;
import dev.lookout.review.service.Target;
import dev.lookout.review.service.VerdictService;
import dev.lookout.review.service.VerdictTally;
import dev.lookout.review.service.Wilson;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Candidate vs baseline: counts, win rate (tie = half) with its Wilson 95 % interval, per-tag counts. */
public record VerdictResponse(UUID checkpointId, UUID probeRunId, UUID runId, UUID batchId, Long step,
                              Target candidate, Target baseline, long wins, long ties, long losses, long bothBad,
                              long votes, Double winRate, Double low, Double high, boolean decided,
                              Map<String, VerdictTally.TagCounts> tags, AgreementView agreement, String against,
                              UUID baselineProbeRunId, UUID baselineCheckpointId, Long baselineStep,
                              Integer votesNeeded, Stopping.Rule stopping, Stopping.Stop stopped,
                              Map<String, VerdictTally.TagCounts> probeTags, Map<String, RubricTag.Label> tagLabels) {

    /** Over the items with two or more reviewers; kappa null when undefined (no such item or no variation). */
    public record AgreementView(long items, Double kappa, List<ReviewerView> reviewers) {
    }

    /** agreeWithMajority: share of the reviewer's multi-reviewer items with a majority (> half) where they sided with it. */
    public record ReviewerView(String reviewer, long items, Double agreeWithMajority) {
    }

    static VerdictResponse from(VerdictService.Verdict v) {
        VerdictTally t = v.tally();
        Wilson.Interval interval = t.interval();
        return new VerdictResponse(v.checkpointId(), v.probeRunId(), v.runId(), v.batchId(), v.step(),
                v.candidate(), v.baseline(), t.wins(), t.ties(), t.losses(), t.bothBad(), t.votes(), t.winRate(),
                interval == null ? null : interval.low(), interval == null ? null : interval.high(),
                t.decided(), t.tags(), new AgreementView(v.agreement().items(), v.agreement().kappa(),
                        v.agreement().reviewers().stream()
                                .map(r -> new ReviewerView(r.reviewer(), r.items(), r.agreeWithMajority())).toList()),
                v.against(), v.baselineProbeRunId(), v.baselineCheckpointId(), v.baselineStep(), t.votesNeeded(),
                v.stopping(), v.stopped(), v.probeTags(), v.tagLabels());
    }
}
