package dev.lookout.proberunner.service;

import dev.lookout.platform.Adapters;
import dev.lookout.platform.outbox.EventFields;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.messaging.EventTypes;
import dev.lookout.proberunner.messaging.OutboxWriter;
import dev.lookout.proberunner.notify.ProbeRunFailures;
import dev.lookout.proberunner.repository.EndpointRepository;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import dev.lookout.proberunner.rest.Dtos;
import dev.lookout.proberunner.rest.Dtos.CheckResultDto;
import dev.lookout.proberunner.rest.Dtos.Counts;
import dev.lookout.proberunner.rest.Dtos.CreateProbeRunRequest;
import dev.lookout.proberunner.rest.Dtos.OutputResponse;
import dev.lookout.proberunner.rest.Dtos.ProbeDto;
import dev.lookout.proberunner.rest.Dtos.ProbeRunCreated;
import dev.lookout.proberunner.rest.Dtos.ProbeRunResponse;
import dev.lookout.proberunner.rest.Dtos.RunComparisonSummary;
import dev.lookout.proberunner.rest.Dtos.TargetDto;
import dev.lookout.proberunner.rest.Dtos.TurnDto;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

/** Probe runs: start (REST or checkpoint.registered), read, cancel; completion bookkeeping for the workers. */
@ApplicationScoped
@Transactional
public class ProbeRunService {

    private static final Logger LOG = Logger.getLogger(ProbeRunService.class);

    /** A target with its endpoint resolved; {@code adapterPath}: a LoRA adapter loaded under {@code model} first. */
    public record ResolvedTarget(Endpoint endpoint, String model, String label, String adapterPath) {
        public ResolvedTarget(Endpoint endpoint, String model, String label) {
            this(endpoint, model, label, null);
        }
    }

    /** Where a run came from (null for manual runs). */
    public record Origin(UUID runId, UUID checkpointId, Long step) {
        public static final Origin MANUAL = new Origin(null, null, null);
    }

    private final ProbeRunRepository runs;
    private final OutputRepository outputs;
    private final EndpointRepository endpoints;
    private final SuiteService suites;
    private final EndpointService endpointService;
    private final ComparisonService comparisons;
    private final QuotaService quotas;
    private final int maxCheckChars;
    private final OutboxWriter outbox;
    private final ObjectMapper mapper;
    private final Duration etaWindow;
    private final int etaMinSamples;
    private final WeightsIdentity identity;
    private final AdapterLifecycle adapters;
    /** Tells the project's webhooks about failed runs (no probe-run.completed is published for them). */
    private final ProbeRunFailures failures;

    public ProbeRunService(ProbeRunRepository runs, OutputRepository outputs, EndpointRepository endpoints,
            SuiteService suites, EndpointService endpointService, ComparisonService comparisons, OutboxWriter outbox,
            ObjectMapper mapper, ProbeRunnerConfig config, QuotaService quotas, WeightsIdentity identity,
            AdapterLifecycle adapters, ProbeRunFailures failures) {
        this.identity = identity;
        this.adapters = adapters;
        this.failures = failures;
        this.quotas = quotas;
        this.maxCheckChars = config.checks().maxTextChars();
        this.etaWindow = config.eta().window();
        this.etaMinSamples = config.eta().minSamples();
        this.runs = runs;
        this.outputs = outputs;
        this.endpoints = endpoints;
        this.suites = suites;
        this.endpointService = endpointService;
        this.comparisons = comparisons;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    public ProbeRunCreated create(Caller caller, CreateProbeRunRequest req) {
        caller.requireProject(req.project());
        SuiteVersion version = suites.resolve(req.project(), req.suite(), req.version())
                .orElseThrow(() -> BadInputException.field("suite", req.version() == null
                        ? "no suite named '" + req.suite() + "' in project " + req.project()
                        : "suite '" + req.suite() + "' has no version " + req.version()));
        List<ResolvedTarget> targets = new ArrayList<>();
        for (int i = 0; i < req.targets().size(); i++) {
            TargetDto t = req.targets().get(i);
            int index = i;
            Endpoint e = endpoints.findByName(req.project(), t.endpoint())
                    .orElseThrow(() -> BadInputException.field("targets[" + index + "].endpoint",
                            "no endpoint named '" + t.endpoint() + "' in project " + req.project()));
            String adapterPath = t.adapter() == null ? null : t.adapter().path();
            if (adapterPath != null) {
                String problem = adapterProblem(e, adapterPath);
                if (problem != null) {
                    throw BadInputException.field("targets[" + index + "].adapter", problem);
                }
            }
            targets.add(new ResolvedTarget(e, t.model(), t.label(), adapterPath));
        }
        ProbeRun run = start(req.project(), version, targets, req.samples() == null ? 1 : req.samples(), Origin.MANUAL);
        return new ProbeRunCreated(run.id, run.status);
    }

    /**
     * Handles checkpoint.registered: candidate = event target, baseline = event baseline, suite = latest version of
     * the named suite. Missing endpoint or suite → a failed probe run with the reason (the message is not retried).
     * Returns null when the event names no suite.
     */
    public ProbeRun startForCheckpoint(JsonObject event) {
        String project = event.getString("project");
        String suiteName = event.getString("suite");
        Origin origin = new Origin(uuidOrNull(event.getString("runId")), uuidOrNull(event.getString("checkpointId")),
                event.getLong("step"));
        JsonObject adapter = event.getValue("adapter") instanceof JsonObject a ? a : null;
        JsonObject target = adapter == null ? event.getJsonObject("target") : adapterTarget(event, adapter);
        JsonObject baseline = event.getJsonObject("baseline");
        if (suiteName == null || suiteName.isBlank()) {
            LOG.infof("checkpoint %s of run %s names no suite; nothing to probe", origin.checkpointId(), origin.runId());
            return null;
        }
        List<String> reasons = new ArrayList<>();
        List<ResolvedTarget> targets = new ArrayList<>();
        List<TargetDto> described = new ArrayList<>();
        for (var entry : List.of(Map.entry("candidate", Optional.ofNullable(target)),
                Map.entry("baseline", Optional.ofNullable(baseline)))) {
            JsonObject t = entry.getValue().orElse(null);
            if (t == null || t.getString("endpoint") == null || t.getString("model") == null) {
                reasons.add(entry.getKey() + " target is missing from the event");
                continue;
            }
            described.add(new TargetDto(t.getString("endpoint"), t.getString("model"), entry.getKey()));
            Optional<Endpoint> e = endpoints.findByName(project, t.getString("endpoint"));
            if (e.isEmpty()) {
                reasons.add(entry.getKey() + " endpoint '" + t.getString("endpoint") + "' is not registered in project "
                        + project);
            } else {
                String path = t.getString("adapterPath");
                String problem = path == null ? null : adapterProblem(e.get(), path);
                if (problem != null) {
                    reasons.add(entry.getKey() + " adapter: " + problem);
                } else {
                    targets.add(new ResolvedTarget(e.get(), t.getString("model"), entry.getKey(), path));
                }
            }
        }
        Optional<SuiteVersion> version = suites.resolve(project, suiteName, null);
        if (version.isEmpty()) {
            reasons.add("suite '" + suiteName + "' does not exist in project " + project);
        }
        if (!reasons.isEmpty()) {
            return recordFailed(project, origin, described, String.join("; ", reasons));
        }
        try {
            return start(project, version.get(), targets, 1, origin);
        } catch (QuotaExceededException e) {
            // nothing was stored before the quota check: record the refusal visibly, never retry the event
            return recordFailed(project, origin, described, "refused by a quota: " + e.getMessage());
        }
    }

    /**
     * The candidate of a checkpoint served as a LoRA adapter: {@code adapter: {path, endpoint, name}} of the event
     * (the name derived from the run and step when absent).
     */
    private static JsonObject adapterTarget(JsonObject event, JsonObject adapter) {
        String name = adapter.getString("name");
        if (name == null || name.isBlank()) {
            name = Adapters.defaultName(event.getString("runName"), event.getLong("step", 0L));
        }
        return new JsonObject().put("endpoint", adapter.getString("endpoint")).put("model", name)
                .put("adapterPath", adapter.getString("path"));
    }

    /** Null when the endpoint may load the adapter at that path; else why not. */
    private static String adapterProblem(Endpoint e, String path) {
        if (!EndpointService.ADAPTERS_VLLM.equals(e.adapterLoading)) {
            return "endpoint '" + e.name + "' does not load adapters (adapterLoading is " + e.adapterLoading
                    + "; set it to vllm: PATCH /api/endpoints/" + e.id + ")";
        }
        String problem = Adapters.pathProblem(path);
        return problem == null ? null : "path " + problem;
    }

    private ProbeRun recordFailed(String project, Origin origin, List<TargetDto> targets, String reason) {
        ProbeRun run = newRun(project, origin, null, 1);
        run.status = ProbeRun.FAILED;
        run.failureReason = reason;
        run.targets = write(targets.stream().map(t -> Map.of("endpoint", t.endpoint(), "model", t.model(),
                "label", t.label())).toList());
        run.completedAt = Instant.now();
        runs.persist(run);
        failures.failed(run);
        LOG.warnf("probe run %s for checkpoint %s failed to start: %s", run.id, origin.checkpointId(), reason);
        return run;
    }

    /**
     * Per target: the params it is called with, its role (candidate | baseline | other), the weights root the server
     * reports for it now (null: unknown) and the answers reusable from earlier runs.
     */
    private record TargetPlan(ResolvedTarget target, String role, String paramsSent, String paramsKey,
            String weightsRoot, Map<String, ProbeOutput> reusable) {
    }

    /** Target roles: a checkpoint run labels them; in a manual run target 0 is the candidate and 1 the baseline. */
    static final String CANDIDATE = "candidate";
    static final String BASELINE = "baseline";

    private static String role(Origin origin, ResolvedTarget t, int index) {
        if (origin.checkpointId() != null && (CANDIDATE.equals(t.label()) || BASELINE.equals(t.label()))) {
            return t.label();
        }
        return index == 0 ? CANDIDATE : index == 1 ? BASELINE : "other";
    }

    /**
     * Creates the run, its pending outputs (or copies reusable ones) and the call messages, all in one transaction.
     * The quotas are checked first ({@link QuotaService}): a refused run stores nothing. The transaction is bounded
     * by the per-run cap; pending outputs and call messages go as one multi-row insert each (arrays through
     * {@code unnest}: one round trip whatever the count), copied answers through Hibernate's JDBC batching.
     */
    public ProbeRun start(String project, SuiteVersion version, List<ResolvedTarget> targets, int samples,
            Origin origin) {
        List<ProbeDto> probes = suites.probes(version);
        long total = (long) probes.size() * targets.size() * samples;
        quotas.checkRunSize(project, total);
        // what the servers report about the weights, once per endpoint, for the targets whose answers can be reused
        // now or later (a manual run's candidate on a mutable endpoint never is: no request to its server)
        Map<UUID, Map<String, String>> roots = new HashMap<>();
        List<TargetPlan> plans = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ResolvedTarget t = targets.get(i);
            String role = role(origin, t, i);
            // an adapter is not loaded yet: vLLM will report its path as its root
            String rootNow = t.adapterPath() != null ? t.adapterPath()
                    : reusable(t, role, origin)
                            ? roots.computeIfAbsent(t.endpoint().id, id -> identity.roots(t.endpoint())).get(t.model())
                            : null;
            plans.add(plan(version, t, samples, role, i, origin, rootNow));
        }
        int reusable = plans.stream().mapToInt(p -> p.reusable().size()).sum();
        quotas.checkCalls(project, (int) total - reusable);
        ProbeRun run = newRun(project, origin, version.id, samples);
        List<Map<String, Object>> targetJson = new ArrayList<>();
        for (TargetPlan p : plans) {
            ResolvedTarget t = p.target();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpoint", t.endpoint().name);
            m.put("endpointId", t.endpoint().id.toString());
            m.put("model", t.model());
            m.put("label", t.label());
            m.put("role", p.role());
            if (t.adapterPath() != null) {
                m.put("adapter", Map.of("path", t.adapterPath()));
            }
            targetJson.add(m);
        }
        run.targets = write(targetJson);
        run.total = (int) total;
        run.calls = (int) total - reusable;
        boolean loadFirst = targets.stream().anyMatch(t -> t.adapterPath() != null);
        run.adapterState = loadFirst ? AdapterLifecycle.LOADING : null;
        runs.persist(run);
        int reused = createOutputs(run, probes, plans, samples, !loadFirst);
        run.doneCount = reused;
        outbox.append(EventTypes.PROBE_RUN_STARTED, project, EventFields.of()
                .with("probeRunId", run.id.toString()).with("runId", str(run.runId))
                .with("checkpointId", str(run.checkpointId)).with("suiteVersionId", version.id.toString())
                .with("total", run.total));
        if (run.total == reused) {
            run.adapterState = null; // every answer reused: nothing to load, nothing to unload
            outputs.flush();
            complete(run, true);
        } else if (loadFirst) {
            adapters.requestLoad(run); // the calls are queued once the adapters are loaded
        }
        LOG.infof("probe run %s started: %d calls, %d reused", run.id, run.total - reused, reused);
        return run;
    }

    /** Whether the target's answers may ever be reused (see {@link #plan}). */
    private static boolean reusable(ResolvedTarget t, String role, Origin origin) {
        return t.endpoint().immutableModels || BASELINE.equals(role) || origin.checkpointId() != null;
    }

    /**
     * Which earlier answers the target may reuse: only those of targets that cannot have changed — a run's baseline,
     * any model of an endpoint declaring immutableModels, or the same checkpoint probed again — and only when what
     * the server reports about the weights now ({@code root}, {@code system_fingerprint}) matches what was stored
     * with the answer. A checkpoint's candidate is otherwise asked afresh, even under a model name asked before.
     */
    private TargetPlan plan(SuiteVersion version, ResolvedTarget t, int samples, String role, int index,
            Origin origin, String rootNow) {
        Map<String, Object> params = new LinkedHashMap<>(endpointService.readMap(t.endpoint().params));
        params.putAll(endpointService.readMap(t.endpoint().extraBody));
        String paramsSent = CanonicalJson.write(params);
        String paramsKey = CanonicalJson.sha256(paramsSent);
        OutputRepository.ReuseScope scope = new OutputRepository.ReuseScope(t.endpoint().immutableModels,
                BASELINE.equals(role), origin.checkpointId(), index);
        List<ProbeOutput> found = outputs.findReusable(version.id, t.endpoint().id, t.model(), paramsKey, samples,
                scope);
        String fingerprintNow = found.stream().anyMatch(o -> o.systemFingerprint != null)
                ? identity.fingerprint(t.endpoint(), t.model(), paramsSent)
                : null;
        Map<String, ProbeOutput> reusable = new HashMap<>();
        int refused = 0;
        for (ProbeOutput o : found) {
            if (WeightsIdentity.sameWeights(o.weightsRoot, o.systemFingerprint, rootNow, fingerprintNow)) {
                reusable.put(o.probeId + "#" + o.sample, o);
            } else {
                refused++;
            }
        }
        if (refused > 0) {
            LOG.infof("%s/%s: %d earlier answers not reused, the weights changed (root %s, fingerprint %s)",
                    t.endpoint().name, t.model(), refused, rootNow, fingerprintNow);
        }
        return new TargetPlan(t, role, paramsSent, paramsKey, rootNow, reusable);
    }

    /**
     * The run's outputs: copies of reusable answers, and pending rows plus (if {@code queueCalls}) their call
     * messages. Returns the copies.
     */
    private int createOutputs(ProbeRun run, List<ProbeDto> probes, List<TargetPlan> plans, int samples,
            boolean queueCalls) {
        Instant now = Instant.now();
        int reused = 0;
        List<ProbeOutput> pending = new ArrayList<>();
        for (int ti = 0; ti < plans.size(); ti++) {
            TargetPlan plan = plans.get(ti);
            ResolvedTarget t = plan.target();
            for (ProbeDto probe : probes) {
                for (int s = 0; s < samples; s++) {
                    ProbeOutput o = new ProbeOutput();
                    o.id = UUID.randomUUID();
                    o.probeRunId = run.id;
                    o.probeId = probe.id();
                    o.targetIndex = ti;
                    o.endpointId = t.endpoint().id;
                    o.endpointName = t.endpoint().name;
                    o.model = t.model();
                    o.sample = s;
                    o.paramsSent = plan.paramsSent();
                    o.paramsKey = plan.paramsKey();
                    o.weightsRoot = plan.weightsRoot();
                    o.createdAt = now;
                    ProbeOutput earlier = plan.reusable().get(probe.id() + "#" + s);
                    if (earlier != null) {
                        copyAnswer(earlier, o);
                        reused++;
                        run.reusedCandidate += ti == 0 ? 1 : 0;
                        run.reusedBaseline += ti == 1 ? 1 : 0;
                        outputs.persist(o);
                    } else {
                        o.status = ProbeOutput.PENDING;
                        pending.add(o);
                    }
                }
            }
        }
        if (!pending.isEmpty()) {
            // the pending outputs and their call messages as two multi-row inserts (after the run row: foreign key)
            runs.flush();
            outputs.insertPending(pending);
            if (queueCalls) {
                outbox.calls(run.id, pending.stream().map(o -> o.id).toList());
            }
        }
        return reused;
    }

    /**
     * LLaMA-Factory predictions of a target evaluated offline: a completed probe run of one target whose outputs are
     * the predictions (checks evaluated now). Never reused for live calls (params key "offline-predictions").
     */
    public ProbeRunResponse importPredictions(Caller caller, String project, String suiteName, Integer version,
            String endpointName, String model, String body) {
        caller.requireProject(project);
        if (model == null || model.isBlank()) {
            throw BadInputException.field("model", "is required");
        }
        SuiteVersion sv = suites.resolve(project, suiteName, version)
                .orElseThrow(() -> BadInputException.field("suite", "no suite named '" + suiteName + "' in project "
                        + project + (version == null ? "" : " with version " + version)));
        Endpoint e = endpoints.findByName(project, endpointName)
                .orElseThrow(() -> BadInputException.field("endpoint", "no endpoint named '" + endpointName
                        + "' in project " + project));
        List<PredictionImport.Prediction> predictions = PredictionImport.match(mapper, body, suites.probes(sv));
        ProbeRun run = newRun(project, Origin.MANUAL, sv.id, 1);
        run.targets = write(List.of(Map.of("endpoint", e.name, "endpointId", e.id.toString(), "model", model,
                "label", "offline")));
        run.total = predictions.size();
        run.doneCount = predictions.size();
        runs.persist(run);
        Instant now = Instant.now();
        String paramsSent = CanonicalJson.write(Map.of("source", "llama-factory generated_predictions.jsonl"));
        for (PredictionImport.Prediction p : predictions) {
            ProbeOutput o = new ProbeOutput();
            o.id = UUID.randomUUID();
            o.probeRunId = run.id;
            o.probeId = p.probeId();
            o.targetIndex = 0;
            o.endpointId = e.id;
            o.endpointName = e.name;
            o.model = model;
            o.sample = 0;
            o.paramsSent = paramsSent;
            o.paramsKey = "offline-predictions";
            o.status = ProbeOutput.DONE;
            String[] split = dev.lookout.proberunner.client.ChatCompletionParser.splitThink(p.predict());
            o.reasoning = split[0];
            o.text = split[1];
            o.checkResults = write(CheckEvaluator.evaluate(suites.probe(sv, p.probeId()).checks(), o.text,
                    maxCheckChars));
            o.attempts = 0;
            o.createdAt = now;
            o.completedAt = now;
            outputs.persist(o);
        }
        outbox.append(EventTypes.PROBE_RUN_STARTED, project, EventFields.of()
                .with("probeRunId", run.id.toString()).with("runId", (String) null).with("checkpointId", (String) null)
                .with("suiteVersionId", sv.id.toString()).with("total", run.total));
        outputs.flush();
        complete(run, true);
        LOG.infof("probe run %s imported: %d offline predictions for %s/%s", run.id, run.total, e.name, model);
        return toResponse(run);
    }

    private static void copyAnswer(ProbeOutput from, ProbeOutput to) {
        to.status = ProbeOutput.DONE;
        to.text = from.text;
        to.reasoning = from.reasoning;
        to.finishReason = from.finishReason;
        to.promptTokens = from.promptTokens;
        to.completionTokens = from.completionTokens;
        to.latencyMs = from.latencyMs;
        to.serverModel = from.serverModel;
        to.checkResults = from.checkResults;
        to.turns = from.turns;
        to.weightsRoot = from.weightsRoot;
        to.systemFingerprint = from.systemFingerprint;
        to.attempts = 0;
        to.reusedFrom = from.reusedFrom != null ? from.reusedFrom : from.id;
        to.completedAt = Instant.now();
    }

    private ProbeRun newRun(String project, Origin origin, UUID suiteVersionId, int samples) {
        ProbeRun run = new ProbeRun();
        run.id = UUID.randomUUID();
        run.project = project;
        run.runId = origin.runId();
        run.checkpointId = origin.checkpointId();
        run.step = origin.step();
        run.suiteVersionId = suiteVersionId;
        run.status = ProbeRun.QUEUED;
        run.samples = samples;
        run.targets = "[]";
        run.createdAt = Instant.now();
        return run;
    }

    /**
     * Finishes a run whose counters {@link CallStore} just brought to the total (that update flipped the status to
     * completed while holding the run row, so this runs exactly once per run): completedAt and the
     * probe-run.completed event, in the caller's transaction. The comparison summary is left to
     * {@link #summarizeAfterCommit} (off the workers' store-then-ack path: chrF over every output of the run would
     * hold the batch's transaction, its acks and the run's visible completion).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeCounted(UUID probeRunId) {
        complete(runs.findById(probeRunId), false);
    }

    /**
     * After the transaction that completed the run committed: computes its comparison summary (cmp_*) on a worker
     * thread. Idempotent (only fills a missing summary); if it never runs (crash), reading the run fills it.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void summarizeAfterCommit(UUID probeRunId) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                fillSummary(probeRunId);
            } catch (RuntimeException e) {
                LOG.warnf("probe run %s: comparison summary failed (filled when the run is read): %s", probeRunId,
                        e.getMessage());
            }
        });
    }

    private OutputComparator.Summary fillSummary(UUID probeRunId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OutputComparator.Summary summary = comparisons.summarizeRun(probeRunId);
            runs.getEntityManager().createNativeQuery("""
                    update probe_runs set cmp_total = :t, cmp_changed = :c, cmp_identical = :i
                    where id = :id and cmp_total is null
                    """).setParameter("t", summary.total()).setParameter("c", summary.changed())
                    .setParameter("i", summary.identical()).setParameter("id", probeRunId).executeUpdate();
            return summary;
        });
    }

    /**
     * Marks the run completed (the caller holds its lock or created it) and writes probe-run.completed once;
     * {@code summarize}: the comparison summary now, in this transaction (runs completed at start or by an import).
     */
    private void complete(ProbeRun run, boolean summarize) {
        run.completedAt = Instant.now();
        adapters.ended(run);
        List<Map<String, Object>> targets = targets(run);
        String failure = run.errorCount > 0 ? deadTarget(run.id, targets) : null;
        if (failure != null) {
            // nothing to compare or review: failed with the reason, and no probe-run.completed (no review batch)
            run.status = ProbeRun.FAILED;
            run.failureReason = failure;
            failures.failed(run);
            LOG.warnf("probe run %s failed: %s", run.id, failure);
            return;
        }
        run.status = ProbeRun.COMPLETED;
        if (summarize && targets.size() >= 2) {
            OutputComparator.Summary summary = comparisons.summarizeRun(run.id);
            run.cmpTotal = summary.total();
            run.cmpChanged = summary.changed();
            run.cmpIdentical = summary.identical();
        }
        EventFields event = EventFields.of()
                .with("probeRunId", run.id.toString()).with("runId", str(run.runId))
                .with("checkpointId", str(run.checkpointId)).with("step", run.step)
                .with("suiteVersionId", str(run.suiteVersionId))
                .with("candidate", targets.isEmpty() ? null : targetRef(targets.get(0)))
                .with("baseline", targets.size() < 2 ? null : targetRef(targets.get(1)))
                .with("total", run.total).with("errors", run.errorCount);
        outbox.append(EventTypes.PROBE_RUN_COMPLETED, run.project, event);
        LOG.infof("probe run %s completed: %d done, %d errors", run.id, run.doneCount, run.errorCount);
    }

    /**
     * The first target of the run none of whose calls succeeded, described with the first error stored for it; null
     * when every target has at least one answer.
     */
    private String deadTarget(UUID probeRunId, List<Map<String, Object>> targets) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = runs.getEntityManager().createNativeQuery("""
                select target_index, count(*), count(*) filter (where status = 'done'),
                       (array_agg(error order by completed_at, id) filter (where status = 'error'))[1]
                from outputs where probe_run_id = :id group by target_index order by target_index
                """).setParameter("id", probeRunId).getResultList();
        for (Object[] r : rows) {
            int index = ((Number) r[0]).intValue();
            long total = ((Number) r[1]).longValue();
            if (total > 0 && ((Number) r[2]).longValue() == 0 && index < targets.size()) {
                Map<String, Object> t = targets.get(index);
                return "every call to the " + (t.get("label") == null ? "target" : t.get("label")) + " (endpoint '"
                        + t.get("endpoint") + "', model '" + t.get("model") + "') failed (" + total + " of " + total
                        + "); first error: " + (r[3] == null ? "none recorded" : r[3]);
            }
        }
        return null;
    }

    private static EventFields targetRef(Map<String, Object> t) {
        return EventFields.of().with("endpoint", t.get("endpoint")).with("model", t.get("model"));
    }

    public ProbeRunResponse cancel(Caller caller, UUID id) {
        ProbeRun run = findVisible(caller, id);
        runs.getEntityManager().lock(run, LockModeType.PESSIMISTIC_WRITE);
        runs.getEntityManager().refresh(run);
        if (!ProbeRun.QUEUED.equals(run.status) && !ProbeRun.RUNNING.equals(run.status)) {
            throw new ConflictException("Probe run " + id + " is " + run.status + " and cannot be cancelled");
        }
        run.status = ProbeRun.CANCELLED;
        run.completedAt = Instant.now();
        adapters.ended(run);
        outputs.update("status = ?1 where probeRunId = ?2 and status = ?3", ProbeOutput.CANCELLED, id,
                ProbeOutput.PENDING);
        return toResponse(run);
    }

    /** The run with its ETA while it is running (see {@link EtaEstimator}). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ProbeRunResponse get(Caller caller, UUID id) {
        ProbeRun run = findVisible(caller, id);
        OutputComparator.Summary fresh = null;
        if (ProbeRun.COMPLETED.equals(run.status) && run.cmpTotal == null && targets(run).size() >= 2) {
            // completed moments ago (the summary follows the commit), or its summary was lost in a crash
            fresh = fillSummary(id);
        }
        Dtos.Eta eta = null;
        if (ProbeRun.QUEUED.equals(run.status) || ProbeRun.RUNNING.equals(run.status)) {
            double[] recent = outputs.recentCompletions(id, etaWindow);
            eta = EtaEstimator.estimate(run.total - run.doneCount - run.errorCount, (long) recent[0], recent[1],
                    etaMinSamples);
        }
        return toResponse(run, eta, fresh);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ProbeRunResponse> list(Caller caller, String project, UUID runId) {
        if (project != null && !caller.canSee(project)) {
            return List.of();
        }
        return runs.search(caller.all() ? null : caller.projects(), project, runId).stream().map(this::toResponse)
                .toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<OutputResponse> outputs(Caller caller, UUID id) {
        findVisible(caller, id);
        List<ProbeOutput> list = outputs.listByRun(id);
        Map<UUID, Object[]> sources = outputs.sources(list.stream().map(o -> o.reusedFrom)
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet()));
        return list.stream().map(o -> new OutputResponse(o.id, o.probeId, o.targetIndex,
                o.endpointName, o.model, o.sample, o.status, o.text, o.reasoning, o.finishReason, o.promptTokens,
                o.completionTokens, o.latencyMs, endpointService.readMap(o.paramsSent), o.serverModel, o.attempts,
                o.error, o.reusedFrom != null, reusedFrom(o.reusedFrom, sources), o.weightsRoot, o.systemFingerprint,
                o.completedAt, readList(o.checkResults, CheckResultDto.class), readList(o.turns, TurnDto.class)))
                .toList();
    }

    private static Dtos.ReusedFrom reusedFrom(UUID source, Map<UUID, Object[]> sources) {
        if (source == null) {
            return null;
        }
        Object[] s = sources.get(source);
        return s == null ? new Dtos.ReusedFrom(source, null, null, null)
                : new Dtos.ReusedFrom(source, (UUID) s[0], (UUID) s[1], (Long) s[2]);
    }

    private <T> List<T> readList(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, mapper.getTypeFactory().constructCollectionType(List.class, type));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ProbeRun findVisible(Caller caller, UUID id) {
        return Optional.ofNullable(runs.findById(id)).filter(r -> caller.canSee(r.project))
                .orElseThrow(() -> new NotFoundException("probe run not found: " + id));
    }

    public List<Map<String, Object>> targets(ProbeRun run) {
        try {
            return mapper.readValue(run.targets, new TypeReference<List<Map<String, Object>>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored targets unreadable");
        }
    }

    private ProbeRunResponse toResponse(ProbeRun r) {
        return toResponse(r, null, null);
    }

    /** {@code fresh}: a summary just computed for a run whose row had none yet. */
    private ProbeRunResponse toResponse(ProbeRun r, Dtos.Eta eta, OutputComparator.Summary fresh) {
        List<TargetDto> targets = targets(r).stream()
                .map(t -> new TargetDto((String) t.get("endpoint"), (String) t.get("model"), (String) t.get("label"),
                        t.get("adapter") instanceof Map<?, ?> a && a.get("path") instanceof String path
                                ? new Dtos.AdapterDto(path) : null))
                .toList();
        boolean open = ProbeRun.QUEUED.equals(r.status) || ProbeRun.RUNNING.equals(r.status);
        int pending = open ? Math.max(0, r.total - r.doneCount - r.errorCount) : 0;
        Integer cmpTotal = fresh != null ? Integer.valueOf(fresh.total()) : r.cmpTotal;
        int cmpChanged = fresh != null ? fresh.changed() : r.cmpChanged == null ? 0 : r.cmpChanged;
        int cmpIdentical = fresh != null ? fresh.identical() : r.cmpIdentical == null ? 0 : r.cmpIdentical;
        RunComparisonSummary cmp = cmpTotal == null ? null
                : new RunComparisonSummary(cmpTotal, cmpChanged, cmpIdentical,
                        cmpTotal == 0 ? 0.0 : Math.round(10_000.0 * cmpChanged / cmpTotal) / 10_000.0);
        return new ProbeRunResponse(r.id, r.project, r.runId, r.checkpointId, r.step, r.suiteVersionId, r.status,
                r.failureReason, r.total, new Counts(pending, r.doneCount, r.errorCount), targets, r.createdAt,
                r.completedAt, cmp, eta, warnings(r), new Dtos.ReusedCounts(r.reusedCandidate, r.reusedBaseline),
                r.adapterState);
    }

    private List<String> warnings(ProbeRun r) {
        List<String> w = readList(r.warnings, String.class);
        return w == null ? List.of() : w;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON");
        }
    }

    private static String str(UUID id) {
        return id == null ? null : id.toString();
    }

    private static UUID uuidOrNull(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
