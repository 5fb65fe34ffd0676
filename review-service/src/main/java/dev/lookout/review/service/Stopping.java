package dev.lookout.review.service;

import java.time.Instant;
import java.util.Optional;

/**
 * Adaptive stopping of a batch (pure): stop once the verdict is decided (Wilson interval excludes 0.5), when the
 * rule asks for it, or once the counted votes reach {@code maxVotes}. A stopped batch's open items leave the queue.
 */
public final class Stopping {

    /** The rule a batch carries; {@link #NONE} never stops. */
    public record Rule(boolean whenDecided, Integer maxVotes) {
        public static final Rule NONE = new Rule(false, null);

        public boolean any() {
            return whenDecided || maxVotes != null;
        }
    }

    /** Why and at how many counted votes a batch stopped. */
    public record Stop(String reason, long atVotes, Instant at) {
    }

    public static final String DECIDED = "decided";
    public static final String MAX_VOTES = "maxVotes";

    private Stopping() {
    }

    /** The stop the tally calls for under the rule, if any; "decided" wins when both apply. */
    public static Optional<Stop> check(Rule rule, VerdictTally tally, Instant now) {
        if (rule == null || !rule.any()) {
            return Optional.empty();
        }
        if (rule.whenDecided() && tally.decided()) {
            return Optional.of(new Stop(DECIDED, tally.votes(), now));
        }
        if (rule.maxVotes() != null && tally.votes() >= rule.maxVotes()) {
            return Optional.of(new Stop(MAX_VOTES, tally.votes(), now));
        }
        return Optional.empty();
    }
}
