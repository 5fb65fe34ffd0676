package dev.lookout.review.service;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Counts counted votes for a candidate against its baseline and turns them into a win rate with a Wilson interval. */
public final class VerdictTally {

    public static final double CONFIDENCE = 0.95;

    /** Per tag: how often it came with each outcome for the candidate. */
    public record TagCounts(long wins, long ties, long losses, long bothBad) {
        TagCounts plus(Outcome outcome) {
            return switch (outcome) {
                case WIN -> new TagCounts(wins + 1, ties, losses, bothBad);
                case TIE -> new TagCounts(wins, ties + 1, losses, bothBad);
                case LOSS -> new TagCounts(wins, ties, losses + 1, bothBad);
                case BOTH_BAD -> new TagCounts(wins, ties, losses, bothBad + 1);
            };
        }
    }

    private long wins;
    private long ties;
    private long losses;
    private long bothBad;
    private final Map<String, TagCounts> tags = new TreeMap<>();

    public VerdictTally add(Outcome outcome, Collection<String> voteTags) {
        switch (outcome) {
            case WIN -> wins++;
            case TIE -> ties++;
            case LOSS -> losses++;
            case BOTH_BAD -> bothBad++;
        }
        if (voteTags != null) {
            for (String tag : voteTags) {
                tags.merge(tag, new TagCounts(0, 0, 0, 0).plus(outcome), (old, one) -> old.plus(outcome));
            }
        }
        return this;
    }

    public long wins() {
        return wins;
    }

    public long ties() {
        return ties;
    }

    public long losses() {
        return losses;
    }

    public long bothBad() {
        return bothBad;
    }

    /** Every counted vote, both-bad included. */
    public long votes() {
        return wins + ties + losses + bothBad;
    }

    /** Votes that carry a preference signal (both-bad left out). */
    public long decisive() {
        return wins + ties + losses;
    }

    /** (wins + ties/2) / (wins + ties + losses); null when there is no such vote. */
    public Double winRate() {
        long n = decisive();
        return n == 0 ? null : (wins + ties / 2.0) / n;
    }

    /** Wilson 95 % interval of the win rate; null when there is no decisive vote. */
    public Wilson.Interval interval() {
        long n = decisive();
        return n == 0 ? null : Wilson.interval(wins + ties / 2.0, n, CONFIDENCE);
    }

    /** True once the interval excludes 0.5 (reviewers can stop). */
    public boolean decided() {
        Wilson.Interval interval = interval();
        return interval != null && interval.excludes(0.5);
    }

    /** Beyond this, "votes needed" is reported as unknown (null). */
    public static final int MAX_VOTES_NEEDED = 1000;

    /**
     * How many more decisive votes would likely decide the verdict if the win rate stayed where it is: the smallest
     * m such that the Wilson interval of the same win rate over decisive + m votes excludes 0.5. 0 when already
     * decided; null without a decisive vote, at a win rate of exactly 0.5, or when more than
     * {@link #MAX_VOTES_NEEDED} would be needed.
     */
    public Integer votesNeeded() {
        return votesNeeded(winRate(), decisive());
    }

    static Integer votesNeeded(Double winRate, long decisive) {
        if (winRate == null || decisive == 0) {
            return null;
        }
        double z = Wilson.z(CONFIDENCE);
        for (int more = 0; more <= MAX_VOTES_NEEDED; more++) {
            long n = decisive + more;
            if (Wilson.intervalWithZ(Math.min(n, winRate * n), n, z).excludes(0.5)) {
                return more;
            }
            if (winRate == 0.5) {
                return null;
            }
        }
        return null;
    }

    public Map<String, TagCounts> tags() {
        return Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
