package dev.lookout.proberunner.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lookout.proberunner.client.CallContext;
import dev.lookout.proberunner.client.CallOutcome;
import dev.lookout.proberunner.client.ModelClient;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.entity.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a model server reports about the weights behind a model name: the {@code root} of its /v1/models entry (vLLM:
 * the path the weights or adapter were loaded from) and a completion's {@code system_fingerprint}. An earlier answer
 * is only reused when what is known now matches what was stored with it ({@link #sameWeights}).
 */
@ApplicationScoped
public class WeightsIdentity {

    private static final Logger LOG = Logger.getLogger(WeightsIdentity.class);

    private final ModelClient client;
    private final EndpointService endpoints;
    private final Duration timeout;

    public WeightsIdentity(ModelClient client, EndpointService endpoints, ProbeRunnerConfig config) {
        this.client = client;
        this.endpoints = endpoints;
        this.timeout = config.reuse().identityTimeout();
    }

    /** Model id → root as the endpoint lists it now; empty when it does not answer in time or reports none. */
    public Map<String, String> roots(Endpoint e) {
        int ms = budget(e);
        return client.weightsRoots(e.baseUrl, endpoints.apiKey(e), ms, endpoints.maxResponseBytes(e))
                .ifNoItem().after(Duration.ofMillis(ms + 1000L)).recoverWithItem(Map.of())
                .await().indefinitely();
    }

    /** The fingerprint the model reports now (one 1-token completion with the target's params), or null. */
    public String fingerprint(Endpoint e, String model, String paramsSent) {
        int ms = budget(e);
        JsonObject body = new JsonObject(paramsSent).put("model", model).put("max_tokens", 1)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "ping")));
        body.remove("max_completion_tokens");
        CallContext ctx = new CallContext(null, null, e.id, e.baseUrl, endpoints.apiKey(e), e.maxConcurrency, ms,
                body, List.of(), List.of(), e.stream, endpoints.maxResponseBytes(e));
        CallOutcome outcome = client.chat(ctx).ifNoItem().after(Duration.ofMillis(ms + 1000L))
                .recoverWithItem(CallOutcome.permanent("no answer in time", ms)).await().indefinitely();
        if (outcome.kind() != CallOutcome.Kind.SUCCESS) {
            LOG.debugf("%s: no fingerprint for %s (%s); reuse decided on the root alone", e, model, outcome.error());
            return null;
        }
        return outcome.completion().systemFingerprint();
    }

    private int budget(Endpoint e) {
        return (int) Math.min(e.timeoutMs, timeout.toMillis());
    }

    /**
     * Whether an answer stored with ({@code storedRoot}, {@code storedFingerprint}) may stand for the weights served
     * now: each identity the server reports now must equal the stored one (a stored null does not match a known
     * value: the answer predates it and cannot be vouched for); what is unknown now cannot contradict.
     */
    public static boolean sameWeights(String storedRoot, String storedFingerprint, String rootNow,
            String fingerprintNow) {
        if (rootNow != null && !rootNow.equals(storedRoot)) {
            return false;
        }
        return fingerprintNow == null || fingerprintNow.equals(storedFingerprint);
    }
}
