package dev.lookout.proberunner.client;

import java.util.List;
import java.util.UUID;

import dev.lookout.proberunner.domain.ProbeCheck;
import io.vertx.core.json.JsonObject;

/**
 * Everything a worker needs to make one model call, loaded from the database before the call: the request body
 * (params + model + messages), the probe's checks, the follow-up user turns of a multi-turn probe, and whether the
 * endpoint must be called with {@code stream: true}. {@code maxResponseBytes}: the endpoint's answer cap (0 = the
 * configured default).
 */
public record CallContext(UUID outputId, UUID probeRunId, UUID endpointId, String baseUrl, String apiKey,
        int maxConcurrency, int timeoutMs, JsonObject body, List<ProbeCheck> checks, List<String> followUps,
        boolean stream, int maxResponseBytes) {

    public CallContext(UUID outputId, UUID probeRunId, UUID endpointId, String baseUrl, String apiKey,
            int maxConcurrency, int timeoutMs, JsonObject body) {
        this(outputId, probeRunId, endpointId, baseUrl, apiKey, maxConcurrency, timeoutMs, body, List.of(), List.of(),
                false, 0);
    }

    /** The same call with another body (the next turn of a multi-turn probe). */
    public CallContext withBody(JsonObject next) {
        return new CallContext(outputId, probeRunId, endpointId, baseUrl, apiKey, maxConcurrency, timeoutMs, next,
                checks, followUps, stream, maxResponseBytes);
    }

    @Override
    public String toString() {
        // never print the API key
        return "CallContext[output=" + outputId + ", endpoint=" + endpointId + ", url=" + baseUrl + "]";
    }
}
