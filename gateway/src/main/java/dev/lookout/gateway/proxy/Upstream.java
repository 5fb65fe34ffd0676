package dev.lookout.gateway.proxy;

import dev.lookout.gateway.config.UpstreamConfig;

import java.net.URI;

/** The three backends behind the gateway, with the name used in error messages. */
public enum Upstream {
    INGEST("ingest-service"),
    PROBE_RUNNER("probe-runner"),
    REVIEW("review-service");

    private final String serviceName;

    Upstream(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }

    public URI baseUrl(UpstreamConfig config) {
        return switch (this) {
            case INGEST -> config.ingest();
            case PROBE_RUNNER -> config.probeRunner();
            case REVIEW -> config.review();
        };
    }

    /** Largest request body forwarded to this upstream, in bytes (lookout.upstream.max-body.*). */
    public long maxBody(UpstreamConfig config) {
        return switch (this) {
            case INGEST -> config.maxBody().ingest().asLongValue();
            case PROBE_RUNNER -> config.maxBody().probeRunner().asLongValue();
            case REVIEW -> config.maxBody().review().asLongValue();
        };
    }
}
