package dev.lookout.simulator;

import java.util.List;

/**
 * How a simulated checkpoint drifts away from the base model — the single source of truth that the README documents
 * and other modules' tests may rely on.
 *
 * <p>Every prompt (the last user message) falls in a bucket 0..99 ({@link #bucket}). At training step N a prompt's
 * answer differs from demo-base iff {@code bucket < changeShare(N)}, and it carries stock phrases iff
 * {@code bucket < phraseShare(N)}. Both shares grow with N and {@code phraseShare <= changeShare}, so the sets are
 * nested: changed at 200 ⇒ changed at 400, a phrase at 400 ⇒ a phrase at 600, a phrase ⇒ changed.
 */
public final class CheckpointDrift {

    /** Chinese stock phrases; each appears verbatim in the answers of Chinese prompts once drifted. */
    public static final List<String> STOCK_PHRASES_ZH = List.of("请您放心", "我们会尽快为您处理", "感谢您的耐心等待");

    /** English stock phrases; each appears verbatim (lower case) in the answers of other prompts once drifted. */
    public static final List<String> STOCK_PHRASES_EN =
            List.of("we will handle it as soon as possible", "thank you for your patience", "rest assured");

    /** The sentences that carry the phrases, index-aligned with the phrase lists. */
    static final List<String> PHRASE_SENTENCES_ZH = List.of("请您放心，我们已经记录了您的问题。", "我们会尽快为您处理。", "感谢您的耐心等待！");
    static final List<String> PHRASE_SENTENCES_EN = List.of(
            "Our team has been notified and we will handle it as soon as possible.",
            "In the meantime, thank you for your patience.",
            "Please rest assured that your request is in good hands.");

    /** {step, percent} anchors, linearly interpolated; flat after the last one. */
    private static final int[][] CHANGE_SHARE = {{0, 0}, {200, 35}, {400, 60}, {600, 80}, {1000, 95}};
    private static final int[][] PHRASE_SHARE = {{0, 0}, {200, 10}, {400, 30}, {600, 50}, {1000, 70}};

    private CheckpointDrift() {
    }

    /** Percentage (0..95) of prompts whose answer at training step {@code step} differs from the base answer. */
    public static int changeShare(int step) {
        return interpolate(CHANGE_SHARE, step);
    }

    /** Percentage (0..70) of prompts whose answer at training step {@code step} contains stock phrases. */
    public static int phraseShare(int step) {
        return interpolate(PHRASE_SHARE, step);
    }

    /** The prompt's bucket 0..99. */
    public static int bucket(String lastUserMessage) {
        return (int) Long.remainderUnsigned(Hashing.hash("bucket", lastUserMessage), 100);
    }

    public static boolean changes(String lastUserMessage, int step) {
        return bucket(lastUserMessage) < changeShare(step);
    }

    public static boolean hasStockPhrases(String lastUserMessage, int step) {
        return bucket(lastUserMessage) < phraseShare(step);
    }

    /** How many phrase sentences a drifted answer gets: two in the lower half of the phrase share, else one. */
    static int phraseCount(String lastUserMessage, int step) {
        int bucket = bucket(lastUserMessage);
        int share = phraseShare(step);
        return bucket >= share ? 0 : bucket < share / 2 ? 2 : 1;
    }

    private static int interpolate(int[][] anchors, int step) {
        for (int i = 1; i < anchors.length; i++) {
            int[] lo = anchors[i - 1];
            int[] hi = anchors[i];
            if (step <= hi[0]) {
                return Math.max(0, lo[1] + (int) ((long) (step - lo[0]) * (hi[1] - lo[1]) / (hi[0] - lo[0])));
            }
        }
        return anchors[anchors.length - 1][1];
    }
}
