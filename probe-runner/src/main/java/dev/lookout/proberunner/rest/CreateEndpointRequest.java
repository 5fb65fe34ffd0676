package dev.lookout.proberunner.rest;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record CreateEndpointRequest(
        @NotBlank String project,
        @NotBlank @Pattern(regexp = Names.PATTERN, message = "must be 1-100 letters, digits, '.', '_' or '-' (no '/')") String name,
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
