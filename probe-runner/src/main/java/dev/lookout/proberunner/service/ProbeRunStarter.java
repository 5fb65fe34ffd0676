package dev.lookout.proberunner.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lookout.platform.Adapters;
import dev.lookout.platform.outbox.EventFields;
import dev.lookout.proberunner.domain.Probe;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.messaging.EventTypes;
import dev.lookout.proberunner.messaging.OutboxWriter;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import dev.lookout.proberunner.service.ReusePlanner.TargetPlan;

/**
 * Starts a probe run whose targets are resolved: the run, its pending outputs (or copies of reusable answers) and the
 * call messages. Not transactional itself: call it in the caller's transaction (a refused quota then rolls back
 * nothing the caller wants to keep, and the caller may still record the refusal).
 */
@ApplicationScoped
public class ProbeRunStarter {

    private static final Logger LOG = Logger.getLogger(ProbeRunStarter.class);

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
    private final SuiteService suites;
    private final QuotaService quotas;
    private final ReusePlanner planner;
    private final AdapterLifecycle adapters;
    private final RunCompletion completion;
    private final OutboxWriter outbox;

    public ProbeRunStarter(ProbeRunRepository runs, OutputRepository outputs, SuiteService suites,
            QuotaService quotas, ReusePlanner planner, AdapterLifecycle adapters, RunCompletion completion,
            OutboxWriter outbox) {
        this.runs = runs;
        this.outputs = outputs;
        this.suites = suites;
        this.quotas = quotas;
        this.planner = planner;
        this.adapters = adapters;
        this.completion = completion;
        this.outbox = outbox;
    }

    /**
     * Creates the run, its pending outputs (or copies reusable ones) and the call messages, all in the caller's
     * transaction. The quotas are checked first ({@link QuotaService}): a refused run stores nothing. The
     * transaction is bounded by the per-run cap; pending outputs and call messages go as one multi-row insert each
     * (arrays through {@code unnest}: one round trip whatever the count), copied answers through Hibernate's JDBC
     * batching.
     */
    public ProbeRun start(String project, SuiteVersion version, List<ResolvedTarget> targets, int samples,
            Origin origin) {
        List<Probe> probes = suites.probes(version);
        long total = (long) probes.size() * targets.size() * samples;
        quotas.checkRunSize(project, total);
        List<TargetPlan> plans = planner.plans(version, targets, samples, origin);
        int reusable = plans.stream().mapToInt(p -> p.reusable().size()).sum();
        quotas.checkCalls(project, (int) total - reusable);
        ProbeRun run = newRun(project, origin, version.id, samples);
        run.targets = new ArrayList<>(plans.stream().map(ProbeRunStarter::stored).toList());
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
            completion.complete(run, true);
        } else if (loadFirst) {
            adapters.requestLoad(run); // the calls are queued once the adapters are loaded
        }
        LOG.infof("probe run %s started: %d calls, %d reused", run.id, run.total - reused, reused);
        return run;
    }

    private static RunTarget stored(TargetPlan p) {
        ResolvedTarget t = p.target();
        return new RunTarget(t.endpoint().name, t.endpoint().id.toString(), t.model(), t.label(), p.role(),
                t.adapterPath() == null ? null : new RunTarget.Adapter(t.adapterPath()));
    }

    /**
     * The run's outputs: copies of reusable answers, and pending rows plus (if {@code queueCalls}) their call
     * messages. Returns the copies.
     */
    private int createOutputs(ProbeRun run, List<Probe> probes, List<TargetPlan> plans, int samples,
            boolean queueCalls) {
        Instant now = Instant.now();
        int reused = 0;
        List<ProbeOutput> pending = new ArrayList<>();
        for (int ti = 0; ti < plans.size(); ti++) {
            TargetPlan plan = plans.get(ti);
            for (Probe probe : probes) {
                for (int s = 0; s < samples; s++) {
                    ProbeOutput o = newOutput(run, plan, ti, probe.id(), s, now);
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

    private static ProbeOutput newOutput(ProbeRun run, TargetPlan plan, int targetIndex, String probeId, int sample,
            Instant now) {
        ResolvedTarget t = plan.target();
        ProbeOutput o = new ProbeOutput();
        o.id = UUID.randomUUID();
        o.probeRunId = run.id;
        o.probeId = probeId;
        o.targetIndex = targetIndex;
        o.endpointId = t.endpoint().id;
        o.endpointName = t.endpoint().name;
        o.model = t.model();
        o.sample = sample;
        o.paramsSent = plan.paramsSent();
        o.paramsKey = plan.paramsKey();
        o.weightsRoot = plan.weightsRoot();
        o.createdAt = now;
        return o;
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

    /** A queued run with no targets yet. */
    static ProbeRun newRun(String project, Origin origin, UUID suiteVersionId, int samples) {
        ProbeRun run = new ProbeRun();
        run.id = UUID.randomUUID();
        run.project = project;
        run.runId = origin.runId();
        run.checkpointId = origin.checkpointId();
        run.step = origin.step();
        run.suiteVersionId = suiteVersionId;
        run.status = ProbeRun.QUEUED;
        run.samples = samples;
        run.targets = new ArrayList<>();
        run.createdAt = Instant.now();
        return run;
    }

    /** Null when the endpoint may load the adapter at that path; else why not. */
    static String adapterProblem(Endpoint e, String path) {
        if (!EndpointService.ADAPTERS_VLLM.equals(e.adapterLoading)) {
            return "endpoint '" + e.name + "' does not load adapters (adapterLoading is " + e.adapterLoading
                    + "; set it to vllm: PATCH /api/endpoints/" + e.id + ")";
        }
        String problem = Adapters.pathProblem(path);
        return problem == null ? null : "path " + problem;
    }

    static String str(UUID id) {
        return id == null ? null : id.toString();
    }
}
