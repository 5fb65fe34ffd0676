package dev.lookout.proberunner.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** HTTP request and response records of probe-runner (entities never leave the service). */
public final class Dtos {

    private Dtos() {
    }

    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    // ---- endpoints

    public record EndpointParams(
            @Min(0) @Max(2) Double temperature,
            @JsonProperty("top_p") @Min(0) @Max(1) Double topP,
            @JsonProperty("max_tokens") @Min(1) @Max(1_000_000) Integer maxTokens,
            Long seed) {
    }

    public record CreateEndpointRequest(
            @NotBlank String project,
            @NotBlank @Pattern(regexp = NAME_PATTERN, message = "must be 1-100 letters, digits, '.', '_' or '-' (no '/')") String name,
            @NotBlank @Size(max = 2000) String baseUrl,
            @Size(max = 4000) String apiKey,
            @Min(1) @Max(1024) Integer maxConcurrency,
            @Min(100) @Max(3_600_000) Integer timeoutMs,
            @Valid EndpointParams params,
            Map<String, Object> extraBody,
            Boolean stream,
            /** Longest answer read; a longer one is cut off and stored as an error (finishReason truncated). */
            @Min(1024) @Max(16_777_216) Integer maxResponseBytes,
            /** A model name on this endpoint always serves the same weights: answers may be reused across runs. */
            Boolean immutableModels,
            /** none (default) or vllm: the runner loads checkpoints' LoRA adapters through vLLM's runtime API. */
            @Size(max = 100) String adapterLoading,
            /** Unload an adapter once its probe run is over (default true). */
            Boolean unloadAdapterAfterRun) {

        public CreateEndpointRequest(String project, String name, String baseUrl, String apiKey,
                Integer maxConcurrency, Integer timeoutMs, EndpointParams params, Map<String, Object> extraBody,
                Boolean stream) {
            this(project, name, baseUrl, apiKey, maxConcurrency, timeoutMs, params, extraBody, stream, null, null,
                    null, null);
        }
    }

    /** PATCH /api/endpoints/{id}: the adapter settings; an absent field keeps its value. */
    public record UpdateEndpointRequest(@Size(max = 100) String adapterLoading, Boolean unloadAdapterAfterRun) {
    }

    /** {@code maxResponseBytes}: the endpoint's own cap, or the configured default. */
    public record EndpointResponse(UUID id, String project, String name, String baseUrl, int maxConcurrency,
            int timeoutMs, Map<String, Object> params, Map<String, Object> extraBody, boolean hasApiKey,
            boolean stream, int maxResponseBytes, boolean immutableModels, String adapterLoading,
            boolean unloadAdapterAfterRun) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointHealth(UUID id, String status, Integer httpStatus, List<String> models, long latencyMs,
            String error) {
    }

    // ---- suites

    public record ChatMessage(
            @NotBlank @Pattern(regexp = "system|user|assistant", message = "must be system, user or assistant") String role,
            @NotNull @Size(max = 100_000) String content) {
    }

    public record Check(@NotBlank String type, Object value) {
    }

    public record ProbeDto(
            @NotBlank @Size(max = 200) String id,
            @NotEmpty List<@Valid @NotNull ChatMessage> messages,
            List<String> tags,
            List<@Valid @NotNull Check> checks,
            String reference,
            /** User messages asked after the model's own previous answer (MT-Bench turn 2); absent = one turn. */
            @JsonInclude(JsonInclude.Include.NON_NULL) @Size(max = 10) List<@NotNull @Size(max = 100_000) String> followUps) {

        public ProbeDto(String id, List<ChatMessage> messages, List<String> tags, List<Check> checks, String reference) {
            this(id, messages, tags, checks, reference, null);
        }
    }

    public record CreateSuiteRequest(
            @NotBlank String project,
            @NotBlank @Pattern(regexp = NAME_PATTERN, message = "must be 1-100 letters, digits, '.', '_' or '-'") String name,
            @NotEmpty List<@Valid @NotNull ProbeDto> probes) {
    }

    public record SuiteResponse(UUID id, String project, String name, int version, UUID versionId,
            List<ProbeDto> probes) {
    }

    // ---- probe runs

    /**
     * {@code adapter}: the target is a LoRA adapter the runner loads on the endpoint (adapterLoading=vllm) under the
     * name {@code model} before the calls, and unloads after the run; absent for a served model.
     */
    public record TargetDto(@NotBlank String endpoint, @NotBlank @Size(max = 300) String model, String label,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Valid AdapterDto adapter) {

        public TargetDto(String endpoint, String model, String label) {
            this(endpoint, model, label, null);
        }
    }

    /** Where the model server reads a LoRA adapter from (a path on the model server's side). */
    public record AdapterDto(@NotBlank @Size(max = 1024) String path) {
    }

    public record CreateProbeRunRequest(
            @NotBlank String project,
            @NotBlank String suite,
            @Min(1) Integer version,
            @NotEmpty @Size(max = 8) List<@Valid @NotNull TargetDto> targets,
            @Min(1) @Max(100) Integer samples) {
    }

    public record ProbeRunCreated(UUID id, String status) {
    }

    public record Counts(int pending, int done, int error) {
    }

    public record RunComparisonSummary(int total, int changed, int identical, double shareChanged) {
    }

    /** Estimated time left of a running probe run and the recent completion rate it is based on. */
    public record Eta(double seconds, double callsPerSecond) {
    }

    /** Answers copied from an earlier run instead of asked, per side (target 0 / target 1). */
    public record ReusedCounts(int candidate, int baseline) {
    }

    /**
     * {@code eta}: only in GET /api/probe-runs/{id}, null until enough calls finished and once the run is over;
     * {@code reused}: answers copied instead of asked, per side.
     */
    public record ProbeRunResponse(UUID id, String project, UUID runId, UUID checkpointId, Long step,
            UUID suiteVersionId, String status, String failureReason, int total, Counts counts,
            List<TargetDto> targets, Instant createdAt, Instant completedAt, RunComparisonSummary comparison,
            Eta eta, List<String> warnings, ReusedCounts reused,
            /** Null: no LoRA adapter to load; else loading, loaded, failed or unloaded. */
            @JsonInclude(JsonInclude.Include.NON_NULL) String adapterState) {
    }

    /** Where a reused answer was asked: its output, probe run and (for checkpoint runs) checkpoint and step. */
    public record ReusedFrom(UUID outputId, UUID probeRunId, UUID checkpointId, Long step) {
    }

    /**
     * {@code reusedFrom}: null when the answer was asked in this run; {@code weightsRoot}/{@code systemFingerprint}:
     * what the server reported about the weights (null when it reports nothing).
     */
    public record OutputResponse(UUID id, String probeId, int targetIndex, String endpoint, String model, int sample,
            String status, String text, String reasoning, String finishReason, Integer promptTokens,
            Integer completionTokens, Long latencyMs, Map<String, Object> paramsSent, String serverModel,
            int attempts, String error, boolean reused, ReusedFrom reusedFrom, String weightsRoot,
            String systemFingerprint, Instant completedAt, List<CheckResultDto> checks, List<TurnDto> turns) {
    }

    public record CheckResultDto(String type, Boolean pass) {
    }

    /** One earlier turn of a multi-turn probe (the output's own text is the final turn). */
    public record TurnDto(String text, String reasoning, String finishReason) {
    }

    // ---- comparisons

    /** Per-project comparison switches ({@code /api/projects/{key}/comparison-settings}). */
    public record ComparisonSettings(@NotNull Boolean semanticSimilarity) {
    }

    public record TargetRef(String endpoint, String model) {
    }

    public record SideDto(String text, String error) {
    }

    /**
     * One probe of a comparison. {@code semanticSimilarity}: cosine of the two answers' embeddings (null when the
     * project has semantic similarity off or a side has no answer); {@code semanticModel}: the model that embedded
     * them (omitted when null).
     */
    public record ComparisonItem(String probeId, List<String> tags, List<ChatMessage> messages, SideDto candidate,
            SideDto baseline, boolean identical, Double similarity, boolean changed, Double lengthRatio,
            List<CheckDiff> checks, Double semanticSimilarity,
            @JsonInclude(JsonInclude.Include.NON_NULL) String semanticModel) {

        public ComparisonItem withSemantic(Double cosine, String model) {
            return new ComparisonItem(probeId, tags, messages, candidate, baseline, identical, similarity, changed,
                    lengthRatio, checks, cosine, model);
        }
    }

    /**
     * Semantic similarity over the probes both sides answered: {@code model} names the embedding model(s) used (comma
     * separated when a suite mixes scripts), {@code models} how many probes each scored; mean and min of the cosines
     * (null when no probe was comparable).
     */
    public record SemanticSummary(String model, Map<String, Integer> models, int scored, Double mean, Double min) {
    }

    /** One check of a probe on both sides; status fixed | broken | same | not-evaluated. */
    public record CheckDiff(int index, String type, Boolean candidate, Boolean baseline, String status) {
    }

    public record TagChecks(String tag, int evaluated, double candidatePassRate, double baselinePassRate,
            double passRateChange, int fixed, int broken) {
    }

    /**
     * One check that broke (or was fixed) between the sides: the probe, the check's position and kind, a short label
     * ({@code contains "refund"}) and on how many compared answers.
     */
    public record NamedCheck(String probeId, int index, String type, String name, int count) {
    }

    /**
     * Over the checks evaluated on both sides (probes where both answered); null when the suite has no checks.
     * {@code brokenChecks}/{@code fixedChecks}: which checks the counts are made of.
     */
    public record ChecksSummary(int evaluated, int notEvaluated, double candidatePassRate, double baselinePassRate,
            double passRateChange, int fixed, int broken, List<TagChecks> byTag, List<NamedCheck> brokenChecks,
            List<NamedCheck> fixedChecks) {
    }

    /** Mean lengths in characters (code points) over comparable probes; ratio = candidate mean / baseline mean. */
    public record LengthDrift(int comparable, double candidateMeanLength, double baselineMeanLength, Double ratio,
            Double medianRatio) {
    }

    public record StockPhraseDto(String phrase, int candidateCount, int baselineCount, double candidateShare,
            double baselineShare, List<String> probes) {
    }

    /**
     * {@code computedAt}: when this result was computed (a cached comparison keeps it until the outputs behind it
     * change); {@code semantic}: null when the project has semantic similarity off.
     */
    public record ComparisonResponse(UUID suiteVersionId, UUID probeRunId, String project, TargetRef candidate,
            TargetRef baseline, int total, int changed, int errors, double shareChanged, boolean identicalToBaseline,
            double changedThreshold, List<ComparisonItem> items, LengthDrift lengthDrift, ChecksSummary checks,
            List<StockPhraseDto> stockPhrases, SemanticSummary semantic, Instant computedAt, ReusedCounts reused) {
    }
}
