package dev.lookout.ingest.service;

import java.util.Locale;
import java.util.Map;

/**
 * Canonical metric names (HF convention): {@code train/loss}, {@code eval/loss}, {@code train/grad_norm},
 * {@code train/learning_rate}, {@code train/epoch}; anything else keeps its own name under {@code train/}
 * or {@code eval/} ({@code eval_accuracy} → {@code eval/accuracy}, {@code rewards/margins} →
 * {@code train/rewards/margins}).
 */
public final class MetricNames {

    public static final String TRAIN_LOSS = "train/loss";
    public static final String EVAL_LOSS = "eval/loss";
    public static final String TRAIN_GRAD_NORM = "train/grad_norm";
    public static final String TRAIN_LEARNING_RATE = "train/learning_rate";
    public static final String TRAIN_EPOCH = "train/epoch";

    private static final Map<String, String> ALIASES = Map.of(
            "lr", "learning_rate",
            "learning_rate", "learning_rate",
            "loss", "loss",
            "grad_norm", "grad_norm",
            "epoch", "epoch");

    private MetricNames() {
    }

    /** Normalises a raw key as written by a training tool. */
    public static String normalise(String raw) {
        String key = raw.trim();
        String prefix = "train/";
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.startsWith("train/")) {
            key = key.substring(6);
        } else if (lower.startsWith("eval/")) {
            prefix = "eval/";
            key = key.substring(5);
        } else if (lower.startsWith("eval_")) {
            prefix = "eval/";
            key = key.substring(5);
        }
        String alias = ALIASES.get(key.toLowerCase(Locale.ROOT));
        if (alias != null) {
            key = alias;
        }
        return prefix + key;
    }

    /** True for names that carry a loss value: the series non-finite and spike detectors watch. */
    public static boolean isLoss(String normalised) {
        return TRAIN_LOSS.equals(normalised) || EVAL_LOSS.equals(normalised);
    }
}
