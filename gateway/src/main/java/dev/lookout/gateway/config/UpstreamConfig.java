package dev.lookout.gateway.config;

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
}
