package dev.lookout.proberunner.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.platform.outbox.EventFields;
import dev.lookout.proberunner.client.ChatCompletionParser;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.NewProbeRun;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.messaging.EventTypes;
import dev.lookout.proberunner.messaging.OutboxWriter;
import dev.lookout.proberunner.repository.EndpointRepository;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import dev.lookout.proberunner.service.ProbeRunStarter.Origin;
import dev.lookout.proberunner.service.ProbeRunStarter.ResolvedTarget;

/** Probe runs a user starts: a suite against named targets, or the import of predictions made offline. */
@ApplicationScoped
@Transactional
public class ManualRuns {

    private static final Logger LOG = Logger.getLogger(ManualRuns.class);

    private final ProbeRunRepository runs;
    private final OutputRepository outputs;
    private final EndpointRepository endpoints;
    private final SuiteService suites;
    private final ProbeRunStarter starter;
    private final RunCompletion completion;
    private final OutboxWriter outbox;
    private final ObjectMapper mapper;
    private final int maxCheckChars;

    public ManualRuns(ProbeRunRepository runs, OutputRepository outputs, EndpointRepository endpoints,
            SuiteService suites, ProbeRunStarter starter, RunCompletion completion, OutboxWriter outbox,
            ObjectMapper mapper, ProbeRunnerConfig config) {
        this.runs = runs;
        this.outputs = outputs;
        this.endpoints = endpoints;
        this.suites = suites;
        this.starter = starter;
        this.completion = completion;
        this.outbox = outbox;
        this.mapper = mapper;
        this.maxCheckChars = config.checks().maxTextChars();
    }

    /** Starts the run; 422 names the suite, endpoint or adapter that does not resolve. */
    public ProbeRun create(Caller caller, NewProbeRun req) {
        caller.requireProject(req.project());
        SuiteVersion version = suites.resolve(req.project(), req.suite(), req.version())
                .orElseThrow(() -> BadInputException.field("suite", req.version() == null
                        ? "no suite named '" + req.suite() + "' in project " + req.project()
                        : "suite '" + req.suite() + "' has no version " + req.version()));
        List<ResolvedTarget> targets = new ArrayList<>();
        for (int i = 0; i < req.targets().size(); i++) {
            NewProbeRun.TargetSpec t = req.targets().get(i);
            int index = i;
            Endpoint e = endpoints.findByName(req.project(), t.endpoint())
                    .orElseThrow(() -> BadInputException.field("targets[" + index + "].endpoint",
                            "no endpoint named '" + t.endpoint() + "' in project " + req.project()));
            if (t.adapterPath() != null) {
                String problem = ProbeRunStarter.adapterProblem(e, t.adapterPath());
                if (problem != null) {
                    throw BadInputException.field("targets[" + index + "].adapter", problem);
                }
            }
            targets.add(new ResolvedTarget(e, t.model(), t.label(), t.adapterPath()));
        }
        return starter.start(req.project(), version, targets, req.samples() == null ? 1 : req.samples(),
                Origin.MANUAL);
    }

    /**
     * LLaMA-Factory predictions of a target evaluated offline: a completed probe run of one target whose outputs are
     * the predictions (checks evaluated now). Never reused for live calls (params key "offline-predictions").
     */
    public ProbeRun importPredictions(Caller caller, String project, String suiteName, Integer version,
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
        ProbeRun run = ProbeRunStarter.newRun(project, Origin.MANUAL, sv.id, 1);
        run.targets = new ArrayList<>(List.of(new RunTarget(e.name, e.id.toString(), model, "offline", null, null)));
        run.total = predictions.size();
        run.doneCount = predictions.size();
        runs.persist(run);
        Instant now = Instant.now();
        for (PredictionImport.Prediction p : predictions) {
            outputs.persist(predictionOutput(run, sv, e, model, p, now));
        }
        outbox.append(EventTypes.PROBE_RUN_STARTED, project, EventFields.of()
                .with("probeRunId", run.id.toString()).with("runId", (String) null).with("checkpointId", (String) null)
                .with("suiteVersionId", sv.id.toString()).with("total", run.total));
        outputs.flush();
        completion.complete(run, true);
        LOG.infof("probe run %s imported: %d offline predictions for %s/%s", run.id, run.total, e.name, model);
        return run;
    }

    private ProbeOutput predictionOutput(ProbeRun run, SuiteVersion sv, Endpoint e, String model,
            PredictionImport.Prediction p, Instant now) {
        ProbeOutput o = new ProbeOutput();
        o.id = UUID.randomUUID();
        o.probeRunId = run.id;
        o.probeId = p.probeId();
        o.targetIndex = 0;
        o.endpointId = e.id;
        o.endpointName = e.name;
        o.model = model;
        o.sample = 0;
        o.paramsSent = Map.of("source", "llama-factory generated_predictions.jsonl");
        o.paramsKey = "offline-predictions";
        o.status = ProbeOutput.DONE;
        String[] split = ChatCompletionParser.splitThink(p.predict());
        o.reasoning = split[0];
        o.text = split[1];
        o.checkResults = CheckEvaluator.evaluate(suites.probe(sv, p.probeId()).checks(), o.text, maxCheckChars);
        o.attempts = 0;
        o.createdAt = now;
        o.completedAt = now;
        return o;
    }
}
