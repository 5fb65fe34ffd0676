package dev.lookout.review.rest;

import dev.lookout.review.service.Target;
import dev.lookout.review.service.VerdictService;

/** A target's Bradley–Terry strength on the log scale (base model = 0), 95 % bootstrap interval, counted votes. */
public record StrengthResponse(Target target, Double strength, Double low, Double high, long votes) {

    static StrengthResponse from(VerdictService.Strength s) {
        return new StrengthResponse(s.target(), s.strength(), s.low(), s.high(), s.votes());
    }
}
