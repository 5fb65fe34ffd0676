package dev.lookout.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
import java.time.Duration;

/** Where the three backends live. The proxy and the round-report REST clients both read these. */
@ConfigMapping(prefix = "lookout.upstream")
public interface UpstreamConfig {

    /** ingest-service base URL (runs, metrics, logs, checkpoints, alarms). */
    @WithDefault("http://127.0.0.1:8081")
    URI ingest();

    /** probe-runner base URL (suites, endpoints, probe runs, comparisons). */
    @WithName("probe-runner")
    @WithDefault("http://127.0.0.1:8082")
    URI probeRunner();

    /** review-service base URL (reviews, batches, verdicts, exports). */
    @WithDefault("http://127.0.0.1:8083")
    URI review();

    /** Connect timeout of the proxy's HTTP client. */
    @WithName("connect-timeout")
    @WithDefault("5S")
    Duration connectTimeout();

    /** A proxied exchange that moves no byte for this long is aborted (502). */
    @WithName("idle-timeout")
    @WithDefault("120S")
    Duration idleTimeout();

    /**
     * How long a connection to an upstream may sit unused in the proxy's pool before it is closed. Well below the
     * upstreams' own idle timeout ({@code quarkus.http.idle-timeout}, 30 minutes by default), so the gateway never
     * sends a request on a connection the upstream is about to close.
     */
    @WithName("keep-alive-timeout")
    @WithDefault("20S")
    Duration keepAliveTimeout();

    /**
     * Largest request body the gateway forwards to each upstream; a larger one gets 413 problem+json from the
     * gateway, and the upstream never sees it. Equal to the services' own limits (a test compares them).
     */
    @WithName("max-body")
    MaxBody maxBody();

    interface MaxBody {
        /** ingest-service: its log upload cap {@code lookout.ingest.max-upload-bytes} (256 MiB). */
        @WithDefault("256M")
        MemorySize ingest();

        /** probe-runner: its {@code quarkus.http.limits.max-body-size}. */
        @WithName("probe-runner")
        @WithDefault("10M")
        MemorySize probeRunner();

        /** review-service: its {@code quarkus.http.limits.max-body-size} (Quarkus' default, 10240K). */
        @WithDefault("10240K")
        MemorySize review();
    }
}
