package dev.lookout.proberunner.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.ReuseSource;
import dev.lookout.proberunner.domain.RunEta;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;

/**
 * Reading probe runs and their outputs, and cancelling a run. Starting runs: {@link ManualRuns} and
 * {@link CheckpointRuns}; finishing them: {@link RunCompletion}.
 */
@ApplicationScoped
@Transactional
public class ProbeRunService {

    /**
     * A run as read: {@code eta} while it runs (null until enough calls finished); {@code comparison} its
     * candidate/baseline summary (null when there is none yet, or no baseline).
     */
    public record RunView(ProbeRun run, RunEta eta, ComparisonCounts comparison) {
    }

    /** How many probes the run's candidate/baseline comparison covers, how many changed and how many are identical. */
    public record ComparisonCounts(int total, int changed, int identical) {
    }

    /** An output and, when its answer was copied from an earlier run, where that answer was asked. */
    public record OutputView(ProbeOutput output, ReuseSource reusedFrom) {
    }

    private final ProbeRunRepository runs;
    private final OutputRepository outputs;
    private final AdapterLifecycle adapters;
    private final RunCompletion completion;
    private final Duration etaWindow;
    private final int etaMinSamples;

    public ProbeRunService(ProbeRunRepository runs, OutputRepository outputs, AdapterLifecycle adapters,
            RunCompletion completion, ProbeRunnerConfig config) {
        this.runs = runs;
        this.outputs = outputs;
        this.adapters = adapters;
        this.completion = completion;
        this.etaWindow = config.eta().window();
        this.etaMinSamples = config.eta().minSamples();
    }

    public RunView cancel(Caller caller, UUID id) {
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
        return view(run);
    }

    /** The run with its ETA while it is running (see {@link EtaEstimator}). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RunView get(Caller caller, UUID id) {
        ProbeRun run = findVisible(caller, id);
        OutputComparator.Summary fresh = null;
        if (ProbeRun.COMPLETED.equals(run.status) && run.cmpTotal == null && run.targets.size() >= 2) {
            // completed moments ago (the summary follows the commit), or its summary was lost in a crash
            fresh = completion.fillSummary(id);
        }
        RunEta eta = null;
        if (ProbeRun.QUEUED.equals(run.status) || ProbeRun.RUNNING.equals(run.status)) {
            double[] recent = outputs.recentCompletions(id, etaWindow);
            eta = EtaEstimator.estimate(run.total - run.doneCount - run.errorCount, (long) recent[0], recent[1],
                    etaMinSamples);
        }
        return new RunView(run, eta, fresh != null
                ? new ComparisonCounts(fresh.total(), fresh.changed(), fresh.identical()) : stored(run));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RunView> list(Caller caller, String project, UUID runId) {
        if (project != null && !caller.canSee(project)) {
            return List.of();
        }
        return runs.search(caller.all() ? null : caller.projects(), project, runId).stream().map(ProbeRunService::view)
                .toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<OutputView> outputs(Caller caller, UUID id) {
        findVisible(caller, id);
        List<ProbeOutput> list = outputs.listByRun(id);
        Map<UUID, ReuseSource> sources = outputs.sources(list.stream().map(o -> o.reusedFrom)
                .filter(Objects::nonNull).collect(Collectors.toSet()));
        return list.stream().map(o -> new OutputView(o, o.reusedFrom == null ? null
                : sources.getOrDefault(o.reusedFrom, new ReuseSource(o.reusedFrom, null, null, null)))).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ProbeRun findVisible(Caller caller, UUID id) {
        return Optional.ofNullable(runs.findById(id)).filter(r -> caller.canSee(r.project))
                .orElseThrow(() -> new NotFoundException("probe run not found: " + id));
    }

    /** The run without an ETA, with the comparison summary stored on it. */
    public static RunView view(ProbeRun run) {
        return new RunView(run, null, stored(run));
    }

    private static ComparisonCounts stored(ProbeRun r) {
        return r.cmpTotal == null ? null : new ComparisonCounts(r.cmpTotal, r.cmpChanged == null ? 0 : r.cmpChanged,
                r.cmpIdentical == null ? 0 : r.cmpIdentical);
    }
}
