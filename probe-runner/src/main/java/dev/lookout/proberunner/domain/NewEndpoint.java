package dev.lookout.proberunner.domain;

import java.util.Map;

/**
 * An endpoint to register; null fields take their defaults.
 *
 * @param maxResponseBytes longest answer read (null: the configured default)
 * @param immutableModels a model name always serves the same weights: answers may be reused across runs
 * @param adapterLoading none (default) or vllm
 */
public record NewEndpoint(String project, String name, String baseUrl, String apiKey, Integer maxConcurrency,
        Integer timeoutMs, SamplingParams params, Map<String, Object> extraBody, Boolean stream,
        Integer maxResponseBytes, Boolean immutableModels, String adapterLoading, Boolean unloadAdapterAfterRun) {
}
