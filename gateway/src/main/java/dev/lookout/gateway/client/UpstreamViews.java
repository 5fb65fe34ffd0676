package dev.lookout.gateway.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the gateway reads from the backends for the round report (unknown fields are ignored). */
public final class UpstreamViews {

    private UpstreamViews() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String endpoint, String model) {
    }

    /** ingest GET /api/runs/{run}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunView(String id, String project, String name, Target baseline, String suite, String status) {
    }

    /** ingest GET /api/runs/{run}/checkpoints (step order). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CheckpointView(String id, String runId, Long step, String label, Target target, Double trainLoss,
            Double evalLoss, Double trainLossDelta, Double evalLossDelta) {
    }

    /** Answers copied instead of asked, per side (probe-runner's probe run and comparison). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReusedView(Integer candidate, Integer baseline) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comparison(Integer total, Integer changed, Integer identical, Double shareChanged) {
    }

    /** probe-runner GET /api/probe-runs?run=. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProbeRunView(String id, String runId, String checkpointId, Long step, String suiteVersionId,
            String status, Integer total, Instant createdAt, Comparison comparison, String failureReason,
            List<String> warnings, ReusedView reused) {

        public ProbeRunView(String id, String runId, String checkpointId, Long step, String suiteVersionId,
                String status, Integer total, Instant createdAt, Comparison comparison) {
            this(id, runId, checkpointId, step, suiteVersionId, status, total, createdAt, comparison, null, null, null);
        }
    }

    /** probe-runner GET /api/comparisons: only the aggregates (the items are ignored). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ComparisonView(String suiteVersionId, String probeRunId, Target candidate, Target baseline,
            Integer total, Integer changed, Integer errors, Double shareChanged, Boolean identicalToBaseline,
            ChecksView checks, List<StockPhraseView> stockPhrases, List<ComparisonItemView> items,
            ReusedView reused) {

        public ComparisonView(String suiteVersionId, String probeRunId, Target candidate, Target baseline,
                Integer total, Integer changed, Integer errors, Double shareChanged, Boolean identicalToBaseline,
                ChecksView checks, List<StockPhraseView> stockPhrases) {
            this(suiteVersionId, probeRunId, candidate, baseline, total, changed, errors, shareChanged,
                    identicalToBaseline, checks, stockPhrases, null, null);
        }
    }

    /** One probe of a comparison: only what the behaviours need (its tags and whether its answer changed). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ComparisonItemView(String probeId, List<String> tags, Boolean changed) {
    }

    /** The comparison's check aggregates; {@code passRateChange} = candidate − baseline pass rate. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChecksView(Integer evaluated, Double candidatePassRate, Double baselinePassRate,
            Double passRateChange, Integer fixed, Integer broken, List<TagChecksView> byTag,
            List<NamedCheckView> brokenChecks) {

        public ChecksView(Integer evaluated, Double candidatePassRate, Double baselinePassRate,
                Double passRateChange, Integer fixed, Integer broken) {
            this(evaluated, candidatePassRate, baselinePassRate, passRateChange, fixed, broken, null, null);
        }
    }

    /** Check pass rates of the probes carrying one suite tag. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TagChecksView(String tag, Integer evaluated, Double candidatePassRate, Double baselinePassRate,
            Double passRateChange, Integer fixed, Integer broken) {
    }

    /** A check that passed on the baseline and fails on the candidate (or the reverse), by name. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NamedCheckView(String probeId, Integer index, String type, String name, Integer count) {
    }

    /** A phrase the candidate says much more often than the baseline. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StockPhraseView(String phrase, Integer candidateCount, Integer baselineCount, Double candidateShare,
            Double baselineShare) {
    }

    /** review GET /api/verdicts?run=. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerdictView(String checkpointId, String probeRunId, Integer wins, Integer ties, Integer losses,
            Integer bothBad, Integer votes, Double winRate, Double low, Double high, Boolean decided, String against,
            String baselineCheckpointId, Long baselineStep, Integer votesNeeded, Map<String, Object> stopping,
            Map<String, Object> stopped, Map<String, TagCountsView> tags, Map<String, TagCountsView> probeTags,
            Map<String, Map<String, String>> tagLabels) {

        public VerdictView(String checkpointId, String probeRunId, Integer wins, Integer ties, Integer losses,
                Integer bothBad, Integer votes, Double winRate, Double low, Double high, Boolean decided) {
            this(checkpointId, probeRunId, wins, ties, losses, bothBad, votes, winRate, low, high, decided, null,
                    null, null, null, null, null, null, null, null);
        }
    }

    /** How often a tag came with each outcome for the candidate. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TagCountsView(Integer wins, Integer ties, Integer losses, Integer bothBad) {
    }

    /** review GET /api/verdicts/bradley-terry?run=: log-scale strength (base = 0), null when not linked. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StrengthView(Target target, Double strength, Double low, Double high, Long votes,
            String checkpointId, Long step, Boolean linked) {
    }

    /** review GET /api/review-batches/open-coverage. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CoverageView(Boolean covered) {
    }

    /** ingest GET /api/runs/{run}/alarms. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AlarmView(String kind, String severity, Long fromStep, Long toStep, String message) {
    }

    public static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
