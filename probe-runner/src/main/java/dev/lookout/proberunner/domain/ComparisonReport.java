package dev.lookout.proberunner.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The behaviour diff of a candidate and a baseline over a suite version, as computed and cached (table
 * {@code comparisons}, JSON of this record). {@code computedAt}: when it was computed; {@code semantic}: null when
 * the project has semantic similarity off.
 */
public record ComparisonReport(UUID suiteVersionId, UUID probeRunId, String project, TargetName candidate,
        TargetName baseline, int total, int changed, int errors, double shareChanged, boolean identicalToBaseline,
        double changedThreshold, List<ComparedProbe> items, LengthChange lengthDrift, CheckStats checks,
        List<StockPhrase> stockPhrases, SemanticStats semantic, Instant computedAt, ReuseCounts reused) {

    /** A target by endpoint name and model. */
    public record TargetName(String endpoint, String model) {
    }

    /** Answers copied from an earlier run instead of asked, per side. */
    public record ReuseCounts(int candidate, int baseline) {
    }

    /** One side's answer: its text, or why there is none. */
    public record Answer(String text, String error) {
    }

    /**
     * One probe compared. {@code semanticSimilarity}: cosine of the two answers' embeddings (null when off or a side
     * has no answer), {@code semanticModel}: the model that embedded them.
     */
    public record ComparedProbe(String probeId, List<String> tags, List<Message> messages, Answer candidate,
            Answer baseline, boolean identical, Double similarity, boolean changed, Double lengthRatio,
            List<CheckChange> checks, Double semanticSimilarity, String semanticModel) {

        public ComparedProbe withSemantic(Double cosine, String model) {
            return new ComparedProbe(probeId, tags, messages, candidate, baseline, identical, similarity, changed,
                    lengthRatio, checks, cosine, model);
        }
    }

    /** One check of a probe on both sides; status fixed | broken | same | not-evaluated. */
    public record CheckChange(int index, String type, Boolean candidate, Boolean baseline, String status) {
    }

    /** Semantic similarity over the probes both sides answered (see the REST {@code SemanticSummary}). */
    public record SemanticStats(String model, java.util.Map<String, Integer> models, int scored, Double mean,
            Double min) {
    }

    /** Checks evaluated on both sides; null when the suite has no checks. */
    public record CheckStats(int evaluated, int notEvaluated, double candidatePassRate, double baselinePassRate,
            double passRateChange, int fixed, int broken, List<TagCheckStats> byTag, List<ChangedCheck> brokenChecks,
            List<ChangedCheck> fixedChecks) {
    }

    /** The check statistics of the probes carrying one tag. */
    public record TagCheckStats(String tag, int evaluated, double candidatePassRate, double baselinePassRate,
            double passRateChange, int fixed, int broken) {
    }

    /** One check that broke (or was fixed): the probe, the check's position, kind and label, and how often. */
    public record ChangedCheck(String probeId, int index, String type, String name, int count) {
    }

    /** Mean lengths in code points over comparable probes; ratio = candidate mean / baseline mean. */
    public record LengthChange(int comparable, double candidateMeanLength, double baselineMeanLength, Double ratio,
            Double medianRatio) {
    }

    /** A phrase the candidate uses much more often than the baseline. */
    public record StockPhrase(String phrase, int candidateCount, int baselineCount, double candidateShare,
            double baselineShare, List<String> probes) {
    }
}
