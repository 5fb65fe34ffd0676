package dev.lookout.review.client;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Calls probe-runner with review-service's own client-credentials token (cached until it expires).
 * Blocking: call it from worker threads only (REST endpoints, @Blocking consumers).
 */
@ApplicationScoped
public class ProbeRunnerClient {

    private final ProbeRunnerApi api;
    private final OidcClient oidcClient;
    private volatile Tokens tokens;

    public ProbeRunnerClient(@RestClient ProbeRunnerApi api, OidcClient oidcClient) {
        this.api = api;
        this.oidcClient = oidcClient;
    }

    public Optional<Comparison> comparison(UUID probeRunId) {
        return call(() -> api.comparison(bearer(), probeRunId));
    }

    /** GET /api/comparisons?suiteVersion=&candidate=<endpoint>/<model>&baseline=…; empty when probe-runner says 404. */
    public Optional<Comparison> comparison(UUID suiteVersionId, String candidate, String baseline) {
        return call(() -> api.comparisonOfTargets(bearer(), suiteVersionId, candidate, baseline));
    }

    public Optional<ProbeRunView> probeRun(UUID probeRunId) {
        return call(() -> api.probeRun(bearer(), probeRunId));
    }

    /** GET /api/probe-runs?run=: the probe runs of every checkpoint of the run; empty when probe-runner says 404. */
    public java.util.List<ProbeRunView> probeRunsOfRun(String project, UUID runId) {
        return call(() -> api.probeRunsOfRun(bearer(), project, runId)).orElse(java.util.List.of());
    }

    private <T> Optional<T> call(java.util.function.Supplier<T> request) {
        try {
            return Optional.ofNullable(request.get());
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            if (e.getResponse().getStatus() == 401) {
                tokens = null; // token revoked or expired early: fetch a new one next time
            }
            throw new ProbeRunnerUnavailableException("probe-runner answered " + e.getResponse().getStatus(), e);
        } catch (ProcessingException e) {
            throw new ProbeRunnerUnavailableException("probe-runner is not reachable", e);
        }
    }

    private String bearer() {
        Tokens current = tokens;
        if (current == null || current.isAccessTokenExpired()) {
            try {
                current = oidcClient.getTokens().await().atMost(Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                throw new ProbeRunnerUnavailableException("could not obtain a service token", e);
            }
            tokens = current;
        }
        return "Bearer " + current.getAccessToken();
    }
}
