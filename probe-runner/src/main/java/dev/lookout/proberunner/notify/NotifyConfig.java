package dev.lookout.proberunner.notify;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of per-project webhooks (README "Webhooks" lists them with their env vars). */
@ConfigMapping(prefix = "lookout.webhooks")
public interface NotifyConfig {

    /** The property (and env var) of the webhook allowlist, named in refusals. */
    String ALLOWED_HOSTS = "lookout.webhooks.allowed-hosts";
    String ALLOWED_HOSTS_ENV = "LOOKOUT_WEBHOOKS_ALLOWED_HOSTS";

    /**
     * Hosts webhooks may point at, in the syntax of {@code lookout.endpoints.allowed-hosts} (host[:port],
     * host:from-to, *.domain[:port], IP literals; no port = 443 for https). No default: empty refuses every webhook.
     */
    Optional<List<String>> allowedHosts();

    /**
     * The public address of Lookout (the gateway), e.g. {@code https://lookout.example.com}: notifications link to the
     * run's round report at {@code <public-url>/#/runs/<run>}. Unset: notifications carry no link.
     */
    Optional<String> publicUrl();

    /** Whether plain http URLs are accepted (dev and test only; prod requires https). */
    @WithDefault("false")
    boolean allowHttp();

    /** Attempts per delivery (the first included) before it is marked failed. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait before the second attempt; doubles per attempt (with up to 50 % jitter), capped at {@link #backoffMax()}. */
    @WithDefault("10s")
    Duration backoffBase();

    @WithDefault("1h")
    Duration backoffMax();

    /** Deadline of one POST (connect + answer). */
    @WithDefault("10s")
    Duration timeout();

    /** Largest receiver answer read (it is discarded; only its status counts); a longer one is cut off. */
    @WithDefault("16384")
    int maxResponseBytes();

    /** Largest event body that is sent. */
    @WithDefault("65536")
    int maxBodyBytes();

    /** How often the delivery worker looks for due deliveries. */
    @WithDefault("1s")
    String pollInterval();

    /** Deliveries claimed per worker round (sent concurrently). */
    @WithDefault("20")
    int batchSize();
}
