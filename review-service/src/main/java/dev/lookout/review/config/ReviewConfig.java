package dev.lookout.review.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Business settings of review-service (documented in the module README). */
@ConfigMapping(prefix = "lookout.review")
public interface ReviewConfig {

    /** How long a task handed out by /api/reviews/next stays reserved for its reviewer. */
    @WithDefault("PT10M")
    Duration lease();

    /** Distinct reviewers each item needs when a batch does not say otherwise. */
    @WithDefault("1")
    int reviewsPerItem();

    /** Share of unchanged-but-not-identical items added to a batch as controls (of the changed items taken). */
    @WithDefault("0.1")
    double controlShare();

    /** verdict.updated goes out at most once per batch per this window; the latest state is flushed after it. */
    @WithDefault("PT2S")
    Duration verdictThrottle();

    /** How often the scheduled flush looks for batches whose throttled verdict is still pending. */
    @WithDefault("1s")
    String verdictFlushEvery();

    Rubric rubric();

    interface Rubric {
        /** Tags a reviewer may attach to a vote, unless the project has its own list. */
        @WithName("default")
        @WithDefault("更谨慎 / more cautious,套话 / stock phrase,事实错误 / wrong fact,格式更好 / better format,拒答 / refused")
        List<String> defaults();

        /** Per-project rubric: lookout.review.rubric.projects.&lt;project&gt;=tag,tag. */
        Map<String, List<String>> projects();
    }
}
