package dev.lookout.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** The merged API description ({@code GET /api/openapi}). */
@ConfigMapping(prefix = "lookout.openapi")
public interface OpenApiConfig {

    /** How long a complete merged document is reused before the backends are asked again. */
    @WithName("cache-ttl")
    @WithDefault("60S")
    Duration cacheTtl();

    /** How long the gateway waits for each backend's {@code /q/openapi}; a backend slower than this is "missing". */
    @WithName("fetch-timeout")
    @WithDefault("3S")
    Duration fetchTimeout();
}
