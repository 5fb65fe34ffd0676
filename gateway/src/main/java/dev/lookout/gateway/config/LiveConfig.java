package dev.lookout.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** The live feed ({@code GET /api/live}). */
@ConfigMapping(prefix = "lookout.live")
public interface LiveConfig {

    /** Prefix of the exchanges and queues the feed binds (tests use their own). */
    @WithName("exchange-prefix")
    Optional<String> exchangePrefix();

    /** Open event streams one user may hold at once; the next one is refused with 429. */
    @WithName("max-connections-per-user")
    @WithDefault("5")
    int maxConnectionsPerUser();
}
