package dev.lookout.proberunner.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.lookout.platform.Adapters;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.notify.ProbeRunFailures;
import dev.lookout.proberunner.repository.EndpointRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import dev.lookout.proberunner.service.ProbeRunStarter.Origin;
import dev.lookout.proberunner.service.ProbeRunStarter.ResolvedTarget;
import io.vertx.core.json.JsonObject;

/** Probe runs started by checkpoint.registered: the checkpoint (candidate) against the event's baseline. */
@ApplicationScoped
@Transactional
public class CheckpointRuns {

    private static final Logger LOG = Logger.getLogger(CheckpointRuns.class);

    /** The event's targets as resolved, and why the run cannot start (empty: it can). */
    private record Resolution(List<ResolvedTarget> targets, List<RunTarget> described, List<String> reasons) {
    }

    private final ProbeRunRepository runs;
    private final EndpointRepository endpoints;
    private final SuiteService suites;
    private final ProbeRunStarter starter;
    private final ProbeRunFailures failures;

    public CheckpointRuns(ProbeRunRepository runs, EndpointRepository endpoints, SuiteService suites,
            ProbeRunStarter starter, ProbeRunFailures failures) {
        this.runs = runs;
        this.endpoints = endpoints;
        this.suites = suites;
        this.starter = starter;
        this.failures = failures;
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
        if (suiteName == null || suiteName.isBlank()) {
            LOG.infof("checkpoint %s of run %s names no suite; nothing to probe", origin.checkpointId(),
                    origin.runId());
            return null;
        }
        Resolution r = resolve(project, event);
        Optional<SuiteVersion> version = suites.resolve(project, suiteName, null);
        if (version.isEmpty()) {
            r.reasons().add("suite '" + suiteName + "' does not exist in project " + project);
        }
        if (!r.reasons().isEmpty()) {
            return recordFailed(project, origin, r.described(), String.join("; ", r.reasons()));
        }
        try {
            return starter.start(project, version.get(), r.targets(), 1, origin);
        } catch (QuotaExceededException e) {
            // nothing was stored before the quota check: record the refusal visibly, never retry the event
            return recordFailed(project, origin, r.described(), "refused by a quota: " + e.getMessage());
        }
    }

    private Resolution resolve(String project, JsonObject event) {
        JsonObject adapter = event.getValue("adapter") instanceof JsonObject a ? a : null;
        JsonObject target = adapter == null ? event.getJsonObject("target") : adapterTarget(event, adapter);
        JsonObject baseline = event.getJsonObject("baseline");
        Resolution r = new Resolution(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (var entry : List.of(Map.entry("candidate", Optional.ofNullable(target)),
                Map.entry("baseline", Optional.ofNullable(baseline)))) {
            JsonObject t = entry.getValue().orElse(null);
            if (t == null || t.getString("endpoint") == null || t.getString("model") == null) {
                r.reasons().add(entry.getKey() + " target is missing from the event");
                continue;
            }
            r.described().add(new RunTarget(t.getString("endpoint"), null, t.getString("model"), entry.getKey(), null,
                    null));
            Optional<Endpoint> e = endpoints.findByName(project, t.getString("endpoint"));
            if (e.isEmpty()) {
                r.reasons().add(entry.getKey() + " endpoint '" + t.getString("endpoint")
                        + "' is not registered in project " + project);
                continue;
            }
            String path = t.getString("adapterPath");
            String problem = path == null ? null : ProbeRunStarter.adapterProblem(e.get(), path);
            if (problem != null) {
                r.reasons().add(entry.getKey() + " adapter: " + problem);
            } else {
                r.targets().add(new ResolvedTarget(e.get(), t.getString("model"), entry.getKey(), path));
            }
        }
        return r;
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

    private ProbeRun recordFailed(String project, Origin origin, List<RunTarget> targets, String reason) {
        ProbeRun run = ProbeRunStarter.newRun(project, origin, null, 1);
        run.status = ProbeRun.FAILED;
        run.failureReason = reason;
        run.targets = new ArrayList<>(targets);
        run.completedAt = Instant.now();
        runs.persist(run);
        failures.failed(run);
        LOG.warnf("probe run %s for checkpoint %s failed to start: %s", run.id, origin.checkpointId(), reason);
        return run;
    }

    private static UUID uuidOrNull(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
