package dev.lookout.gateway.service;

import dev.lookout.gateway.proxy.Upstream;

/** A backend the answer cannot do without did not answer. */
public class UpstreamUnavailableException extends RuntimeException {
    private final Upstream upstream;

    public UpstreamUnavailableException(Upstream upstream, Throwable cause) {
        super(upstream.serviceName() + " did not answer.", cause);
        this.upstream = upstream;
    }

    public Upstream upstream() {
        return upstream;
    }
}
