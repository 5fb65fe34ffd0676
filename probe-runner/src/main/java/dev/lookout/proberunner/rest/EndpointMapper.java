package dev.lookout.proberunner.rest;

import dev.lookout.proberunner.domain.HealthReport;
import dev.lookout.proberunner.domain.NewEndpoint;
import dev.lookout.proberunner.domain.SamplingParams;
import dev.lookout.proberunner.entity.Endpoint;

/** Endpoints between their HTTP records and the service's types; the API key never leaves (only hasApiKey). */
final class EndpointMapper {

    private EndpointMapper() {
    }

    static NewEndpoint toDomain(CreateEndpointRequest r) {
        EndpointParams p = r.params();
        return new NewEndpoint(r.project(), r.name(), r.baseUrl(), r.apiKey(), r.maxConcurrency(), r.timeoutMs(),
                p == null ? null : new SamplingParams(p.temperature(), p.topP(), p.maxTokens(), p.seed()),
                r.extraBody(), r.stream(), r.maxResponseBytes(), r.immutableModels(), r.adapterLoading(),
                r.unloadAdapterAfterRun());
    }

    /** {@code maxResponseBytes}: the endpoint's own cap, or the configured default. */
    static EndpointResponse toResponse(Endpoint e, int maxResponseBytes) {
        return new EndpointResponse(e.id, e.project, e.name, e.baseUrl, e.maxConcurrency, e.timeoutMs, e.params,
                e.extraBody, e.apiKeyEnc != null, e.stream, maxResponseBytes, e.immutableModels, e.adapterLoading,
                e.unloadAdapterAfterRun);
    }

    static EndpointHealth toResponse(HealthReport h) {
        return new EndpointHealth(h.id(), h.status(), h.httpStatus(), h.models(), h.latencyMs(), h.error());
    }
}
