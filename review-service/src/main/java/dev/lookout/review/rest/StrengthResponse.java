package dev.lookout.review.rest;

import dev.lookout.review.service.Target;
import dev.lookout.review.service.VerdictService;

/**
 * A target's Bradley–Terry strength on the log scale (base model = 0), 95 % bootstrap interval, counted votes; the
 * checkpoint it serves in the run (null for the base model) and whether it is linked to the base by comparisons.
 */
public record StrengthResponse(Target target, Double strength, Double low, Double high, long votes,
                               java.util.UUID checkpointId, Long step, boolean linked) {

    static StrengthResponse from(VerdictService.Strength s) {
        return new StrengthResponse(s.target(), s.strength(), s.low(), s.high(), s.votes(), s.checkpointId(),
                s.step(), s.linked());
    }
}
