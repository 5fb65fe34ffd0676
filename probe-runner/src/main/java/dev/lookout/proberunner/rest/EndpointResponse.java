package dev.lookout.proberunner.rest;

import java.util.Map;
import java.util.UUID;

/** {@code maxResponseBytes}: the endpoint's own cap, or the configured default. */
public record EndpointResponse(UUID id, String project, String name, String baseUrl, int maxConcurrency,
        int timeoutMs, Map<String, Object> params, Map<String, Object> extraBody, boolean hasApiKey,
        boolean stream, int maxResponseBytes, boolean immutableModels, String adapterLoading,
        boolean unloadAdapterAfterRun) {
}
