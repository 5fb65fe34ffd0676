package dev.lookout.proberunner.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.lookout.proberunner.client.AdapterClient;
import dev.lookout.proberunner.client.ModelClient;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.messaging.OutboxWriter;
import dev.lookout.proberunner.repository.AdapterStateRepository;
import dev.lookout.proberunner.repository.EndpointRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Probe runs whose targets are LoRA adapters the runner loads itself (endpoints with adapterLoading=vllm). The run is
 * created with its outputs but without its call messages, in adapter state {@code loading}. Once that transaction
 * committed, the adapters are loaded one after the other on the endpoint ({@link AdapterClient}, non-blocking; no
 * request or message thread waits); then, in one transaction holding the run row, either its calls are queued
 * (state {@code loaded}) or the run fails with "adapter load failed: …" and its outputs are cancelled. When the run
 * is over (completed, failed or cancelled) its adapters are unloaded if the endpoint says so
 * (unloadAdapterAfterRun) and no other open run needs them (state {@code unloaded}). A load that never finished (its
 * instance died) is begun again after {@code lookout.endpoints.adapter-load-stale}; a second load of a name vLLM
 * holds already counts as loaded when vLLM reports the same path for it.
 */
@ApplicationScoped
public class AdapterLifecycle {

    private static final Logger LOG = Logger.getLogger(AdapterLifecycle.class);

    public static final String LOADING = "loading";
    public static final String LOADED = "loaded";
    public static final String FAILED = "failed";

    /** Fired in the run's transaction; the load begins once it committed. */
    public record LoadRequested(UUID probeRunId) {
    }

    /** Fired in the transaction that ended a run with adapters; the unload follows the commit. */
    public record RunEnded(UUID probeRunId) {
    }

    /** One adapter of a run and what its calls need (the API key stays in memory, never logged). */
    record Job(String endpoint, UUID endpointId, String baseUrl, String apiKey, long timeoutMs, int maxResponseBytes,
            boolean unloadAfterRun, String name, String path) {
        @Override
        public String toString() {
            return "Job[" + endpoint + "/" + name + "]";
        }

        String describe() {
            return "adapter '" + name + "' from '" + path + "' on endpoint '" + endpoint + "'";
        }
    }

    private final ProbeRunRepository runs;
    private final EndpointRepository endpoints;
    private final EndpointService endpointService;
    private final AdapterStateRepository state;
    private final AdapterClient adapters;
    private final ModelClient models;
    private final OutboxWriter outbox;
    private final Event<LoadRequested> loadRequested;
    private final Event<RunEnded> runEnded;
    private final Duration loadTimeout;
    private final Duration stale;

    public AdapterLifecycle(ProbeRunRepository runs, EndpointRepository endpoints, EndpointService endpointService,
            AdapterStateRepository state, AdapterClient adapters, ModelClient models, OutboxWriter outbox,
            Event<LoadRequested> loadRequested, Event<RunEnded> runEnded,
            ProbeRunnerConfig config) {
        this.runs = runs;
        this.endpoints = endpoints;
        this.endpointService = endpointService;
        this.state = state;
        this.adapters = adapters;
        this.models = models;
        this.outbox = outbox;
        this.loadRequested = loadRequested;
        this.runEnded = runEnded;
        this.loadTimeout = config.endpoints().adapterLoadTimeout();
        this.stale = config.endpoints().adapterLoadStale();
    }

    void onLoadRequested(@Observes(during = TransactionPhase.AFTER_SUCCESS) LoadRequested r) {
        Infrastructure.getDefaultWorkerPool().execute(() -> load(r.probeRunId()));
    }

    void onRunEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunEnded r) {
        Infrastructure.getDefaultWorkerPool().execute(() -> unloadAfterRun(r.probeRunId()));
    }

    /** Loads that never finished (the instance loading them stopped) are begun again. */
    @Scheduled(every = "${lookout.endpoints.adapter-load-check:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryStaleLoads() {
        List<UUID> ids = QuarkusTransaction.requiringNew().call(() -> state.staleLoads(stale, 20));
        for (UUID id : ids) {
            LOG.infof("probe run %s: its adapter load did not finish; loading again", id);
            load(id);
        }
    }

    /** Takes the run's load (see {@link AdapterStateRepository#claimLoad}) and loads its adapters in order. */
    void load(UUID probeRunId) {
        List<Job> jobs;
        try {
            jobs = QuarkusTransaction.requiringNew().call(() -> state.claimLoad(probeRunId, stale)
                    ? jobs(runs.findById(probeRunId))
                    : List.<Job>of());
        } catch (RuntimeException e) {
            LOG.warnf("probe run %s: adapter load not begun (tried again later): %s", probeRunId, e.getMessage());
            return;
        }
        if (jobs.isEmpty()) {
            return;
        }
        Multi.createFrom().iterable(jobs)
                .onItem().transformToUniAndConcatenate(j -> loadOne(j).map(res -> Map.entry(j, res)))
                .collect().asList()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(results -> finishLoad(probeRunId, results),
                        t -> LOG.warnf("probe run %s: adapter load interrupted (tried again later): %s", probeRunId,
                                t.getMessage()));
    }

    /** One load; an "already loaded" answer stands only if vLLM lists that name with another path nowhere. */
    private Uni<AdapterClient.Result> loadOne(Job j) {
        return adapters.load(j.baseUrl(), j.apiKey(), j.timeoutMs(), j.name(), j.path())
                .ifNoItem().after(Duration.ofMillis(j.timeoutMs() + 5_000L))
                .recoverWithItem(new AdapterClient.Result(false, false, null, "no answer in time"))
                .chain(res -> !res.already() ? Uni.createFrom().item(res)
                        : models.weightsRoots(j.baseUrl(), j.apiKey(), (int) Math.min(j.timeoutMs(), 30_000),
                                j.maxResponseBytes())
                                .map(roots -> roots.get(j.name()) == null || j.path().equals(roots.get(j.name()))
                                        ? res
                                        : new AdapterClient.Result(false, false, res.status(), res.status()
                                                + ": the model server holds the name '" + j.name()
                                                + "' already, loaded from another path")));
    }

    private void finishLoad(UUID probeRunId, List<Map.Entry<Job, AdapterClient.Result>> results) {
        List<Job> loaded = results.stream().filter(e -> e.getValue().done()).map(Map.Entry::getKey).toList();
        Map.Entry<Job, AdapterClient.Result> failure = results.stream().filter(e -> !e.getValue().done())
                .findFirst().orElse(null);
        boolean undo;
        try {
            undo = QuarkusTransaction.requiringNew().call(() -> settle(probeRunId, loaded, failure));
        } catch (RuntimeException e) {
            LOG.warnf("probe run %s: adapter load result not stored (loaded again later): %s", probeRunId,
                    e.getMessage());
            return;
        }
        if (undo) {
            unload(probeRunId, loaded.stream().filter(Job::unloadAfterRun).toList());
        }
    }

    /** Holding the run row: queue its calls, or fail it. True when what was loaded should be unloaded again. */
    private boolean settle(UUID probeRunId, List<Job> loaded, Map.Entry<Job, AdapterClient.Result> failure) {
        ProbeRun run = runs.findById(probeRunId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !LOADING.equals(run.adapterState) || !ProbeRun.QUEUED.equals(run.status)) {
            LOG.infof("probe run %s is no longer waiting for its adapters", probeRunId);
            return run != null && !ProbeRun.QUEUED.equals(run.status) && !LOADED.equals(run.adapterState);
        }
        if (failure == null) {
            run.adapterState = LOADED;
            List<UUID> pending = state.pendingOutputs(probeRunId);
            if (!pending.isEmpty()) {
                outbox.calls(probeRunId, pending);
            }
            LOG.infof("probe run %s: %d adapter(s) loaded, %d calls queued", probeRunId, loaded.size(),
                    pending.size());
            return false;
        }
        run.status = ProbeRun.FAILED;
        run.adapterState = FAILED;
        run.failureReason = "adapter load failed: " + failure.getValue().reason() + " ("
                + failure.getKey().describe() + ")";
        run.completedAt = Instant.now();
        state.cancelPending(probeRunId);
        LOG.warnf("probe run %s failed: %s", probeRunId, run.failureReason);
        return true;
    }

    /** The adapters of the run, from its targets ({@code adapter.path} set); endpoints as they are now. */
    private List<Job> jobs(ProbeRun run) {
        List<Job> jobs = new ArrayList<>();
        if (run == null) {
            return jobs;
        }
        for (RunTarget t : run.targets) {
            String path = t.adapterPath();
            if (path == null || t.endpointId() == null) {
                continue;
            }
            Endpoint e = endpoints.findById(UUID.fromString(t.endpointId()));
            if (e == null) {
                continue;
            }
            jobs.add(new Job(e.name, e.id, e.baseUrl, endpointService.apiKey(e),
                    Math.max(e.timeoutMs, loadTimeout.toMillis()), endpointService.maxResponseBytes(e),
                    e.unloadAdapterAfterRun, t.model(), path));
        }
        return jobs;
    }

    /** In the transaction that ended the run: its adapters are unloaded once it committed (if they were loaded). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ended(ProbeRun run) {
        if (run.adapterState != null) {
            runEnded.fire(new RunEnded(run.id));
        }
    }

    /** In the transaction that created the run (adapter state loading): the load begins once it committed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requestLoad(ProbeRun run) {
        loadRequested.fire(new LoadRequested(run.id));
    }

    private void unloadAfterRun(UUID probeRunId) {
        List<Job> jobs;
        try {
            jobs = QuarkusTransaction.requiringNew().call(() -> {
                ProbeRun run = runs.findById(probeRunId);
                if (run == null || !LOADED.equals(run.adapterState)) {
                    return List.<Job>of();
                }
                return jobs(run).stream().filter(Job::unloadAfterRun)
                        .filter(j -> !state.neededByAnotherRun(probeRunId, j.endpointId(), j.name())).toList();
            });
        } catch (RuntimeException e) {
            LOG.warnf("probe run %s: adapters not unloaded: %s", probeRunId, e.getMessage());
            return;
        }
        unload(probeRunId, jobs);
    }

    private void unload(UUID probeRunId, List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        Multi.createFrom().iterable(jobs)
                .onItem().transformToUniAndConcatenate(j -> adapters.unload(j.baseUrl(), j.apiKey(), j.timeoutMs(),
                        j.name()).map(res -> Map.entry(j, res)))
                .collect().asList()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(results -> {
                    results.stream().filter(e -> !e.getValue().done()).forEach(e -> LOG.warnf(
                            "probe run %s: %s not unloaded: %s", probeRunId, e.getKey().describe(),
                            e.getValue().reason()));
                    if (results.stream().allMatch(e -> e.getValue().done())) {
                        QuarkusTransaction.requiringNew().run(() -> state.markUnloaded(probeRunId));
                        LOG.infof("probe run %s: %d adapter(s) unloaded", probeRunId, results.size());
                    }
                }, t -> LOG.warnf("probe run %s: adapters not unloaded: %s", probeRunId, t.getMessage()));
    }
}
