package dev.lookout.review.rest;

import dev.lookout.review.service.Target;
import dev.lookout.review.service.VerdictService;
import dev.lookout.review.service.VerdictTally;
import dev.lookout.review.service.Wilson;

import java.util.Map;
import java.util.UUID;

/** Candidate vs baseline: counts, win rate (tie = half) with its Wilson 95 % interval, per-tag counts. */
public record VerdictResponse(UUID checkpointId, UUID probeRunId, UUID runId, UUID batchId, Long step,
                              Target candidate, Target baseline, long wins, long ties, long losses, long bothBad,
                              long votes, Double winRate, Double low, Double high, boolean decided,
                              Map<String, VerdictTally.TagCounts> tags) {

    static VerdictResponse from(VerdictService.Verdict v) {
        VerdictTally t = v.tally();
        Wilson.Interval interval = t.interval();
        return new VerdictResponse(v.checkpointId(), v.probeRunId(), v.runId(), v.batchId(), v.step(),
                v.candidate(), v.baseline(), t.wins(), t.ties(), t.losses(), t.bothBad(), t.votes(), t.winRate(),
                interval == null ? null : interval.low(), interval == null ? null : interval.high(),
                t.decided(), t.tags());
    }
}
