package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.proberunner.client.ModelClient;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.HealthReport;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.repository.EndpointRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

/**
 * Does each target endpoint of a checkpoint's probe run list the model it is asked for? Asked after the run's
 * transaction committed, without holding anything: each endpoint's {@code GET /v1/models} (allowlist checked by
 * {@link ModelClient}, short timeout), then a warning appended to the run for every model it does not list. An
 * endpoint that does not answer /v1/models (error, timeout, unreadable) yields no warning: not listing is only
 * known from a list.
 */
@ApplicationScoped
public class ModelListCheck {

    private static final Logger LOG = Logger.getLogger(ModelListCheck.class);
    private static final int MAX_LISTED = 10;

    /** One endpoint to ask, with the models the run calls on it (the API key stays in memory, never logged). */
    public record EndpointModels(String name, String baseUrl, String apiKey, int timeoutMs, int maxResponseBytes,
            Set<String> models) {
        @Override
        public String toString() {
            return "EndpointModels[" + name + "]";
        }
    }

    /** Fired inside the run's transaction; observed once it committed. */
    public record Requested(UUID probeRunId, List<EndpointModels> endpoints) {
    }

    private final EndpointRepository endpoints;
    private final EndpointService endpointService;
    private final ModelClient client;
    private final Event<Requested> requested;
    private final ProbeRunRepository runs;
    private final ObjectMapper mapper;
    private final long timeoutMs;

    public ModelListCheck(EndpointRepository endpoints, EndpointService endpointService, ModelClient client,
            Event<Requested> requested, ProbeRunRepository runs, ObjectMapper mapper, ProbeRunnerConfig config) {
        this.endpoints = endpoints;
        this.endpointService = endpointService;
        this.client = client;
        this.requested = requested;
        this.runs = runs;
        this.mapper = mapper;
        this.timeoutMs = config.endpoints().modelListTimeout().toMillis();
    }

    /**
     * Schedules the check of the checkpoint.registered event's targets (candidate and baseline) for the run just
     * recorded in the current transaction; targets whose endpoint is not registered are left out.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(ProbeRun run, JsonObject event) {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (String side : List.of("target", "baseline")) {
            JsonObject t = event.getJsonObject(side);
            if (t != null && t.getString("endpoint") != null && t.getString("model") != null) {
                wanted.computeIfAbsent(t.getString("endpoint"), k -> new LinkedHashSet<>()).add(t.getString("model"));
            }
        }
        List<EndpointModels> ask = new ArrayList<>();
        wanted.forEach((name, models) -> {
            Optional<Endpoint> e = endpoints.findByName(run.project, name);
            e.ifPresent(x -> ask.add(new EndpointModels(x.name, x.baseUrl, endpointService.apiKey(x), x.timeoutMs,
                    endpointService.maxResponseBytes(x), models)));
        });
        if (!ask.isEmpty()) {
            requested.fire(new Requested(run.id, ask));
        }
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) Requested r) {
        for (EndpointModels e : r.endpoints()) {
            int timeout = (int) Math.max(1, Math.min(e.timeoutMs() > 0 ? e.timeoutMs() : timeoutMs, timeoutMs));
            client.health(null, e.baseUrl(), e.apiKey(), timeout, e.maxResponseBytes())
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe().with(h -> append(r.probeRunId(), warnings(e.name(), e.models(), h)),
                            t -> LOG.infof("probe run %s: /v1/models of endpoint '%s' not checked: %s",
                                    r.probeRunId(), e.name(), t.getMessage()));
        }
    }

    /** The warnings for the models an endpoint's answer does not list; none when it gave no list. */
    static List<String> warnings(String endpoint, Set<String> models, HealthReport health) {
        if (health == null || !"up".equals(health.status())) {
            return List.of();
        }
        List<String> listed = health.models() == null ? List.of() : health.models();
        List<String> out = new ArrayList<>();
        for (String m : models) {
            if (!listed.contains(m) && !listed.contains(m + ":latest")) {
                out.add("model '" + m + "' is not listed by endpoint '" + endpoint + "' (/v1/models lists: "
                        + describe(listed) + ")");
            }
        }
        return out;
    }

    private static String describe(List<String> listed) {
        if (listed.isEmpty()) {
            return "no model";
        }
        String shown = String.join(", ", listed.subList(0, Math.min(MAX_LISTED, listed.size())));
        return listed.size() > MAX_LISTED ? shown + " and " + (listed.size() - MAX_LISTED) + " more" : shown;
    }

    private void append(UUID probeRunId, List<String> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        try {
            String json = mapper.writeValueAsString(warnings);
            QuarkusTransaction.requiringNew().run(() -> runs.appendWarnings(probeRunId, json));
            LOG.infof("probe run %s: %s", probeRunId, String.join("; ", warnings));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("probe run %s: warnings not recorded (%s): %s", probeRunId, e.getMessage(), warnings);
        }
    }
}
