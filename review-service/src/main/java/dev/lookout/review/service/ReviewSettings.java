package dev.lookout.review.service;

/**
 * A project's review settings: which pairs a checkpoint's probe run queues ({@code base}, {@code previous} or
 * {@code both}) and the stopping rule new batches get unless their request says otherwise.
 */
public record ReviewSettings(String against, boolean stopWhenDecided, Integer maxVotes) {

    public static final ReviewSettings DEFAULT = new ReviewSettings("both", false, null);

    public boolean wantsBase() {
        return !"previous".equals(against);
    }

    public boolean wantsPrevious() {
        return !"base".equals(against);
    }
}
