package dev.lookout.proberunner.client;

import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** Everything a worker needs to make one model call, loaded from the database before the call. */
public record CallContext(UUID outputId, UUID probeRunId, UUID endpointId, String baseUrl, String apiKey,
        int maxConcurrency, int timeoutMs, JsonObject body) {

    @Override
    public String toString() {
        // never print the API key
        return "CallContext[output=" + outputId + ", endpoint=" + endpointId + ", url=" + baseUrl + "]";
    }
}
