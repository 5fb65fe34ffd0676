package dev.lookout.proberunner.rest;

import java.util.List;

import dev.lookout.proberunner.domain.CheckResult;
import dev.lookout.proberunner.domain.NewProbeRun;
import dev.lookout.proberunner.domain.ReuseSource;
import dev.lookout.proberunner.domain.RunEta;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.domain.Turn;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.service.ProbeRunService.ComparisonCounts;
import dev.lookout.proberunner.service.ProbeRunService.OutputView;
import dev.lookout.proberunner.service.ProbeRunService.RunView;

/** Probe runs and outputs between their HTTP records and the service's types. */
final class ProbeRunMapper {

    private ProbeRunMapper() {
    }

    static NewProbeRun toDomain(CreateProbeRunRequest r) {
        return new NewProbeRun(r.project(), r.suite(), r.version(), r.targets().stream()
                .map(t -> new NewProbeRun.TargetSpec(t.endpoint(), t.model(), t.label(),
                        t.adapter() == null ? null : t.adapter().path()))
                .toList(), r.samples());
    }

    static ProbeRunResponse toResponse(RunView v) {
        ProbeRun r = v.run();
        boolean open = ProbeRun.QUEUED.equals(r.status) || ProbeRun.RUNNING.equals(r.status);
        int pending = open ? Math.max(0, r.total - r.doneCount - r.errorCount) : 0;
        return new ProbeRunResponse(r.id, r.project, r.runId, r.checkpointId, r.step, r.suiteVersionId, r.status,
                r.failureReason, r.total, new Counts(pending, r.doneCount, r.errorCount),
                r.targets.stream().map(ProbeRunMapper::target).toList(), r.createdAt, r.completedAt,
                comparison(v.comparison()), eta(v.eta()), r.warnings == null ? List.of() : r.warnings,
                new ReusedCounts(r.reusedCandidate, r.reusedBaseline), r.adapterState);
    }

    private static TargetDto target(RunTarget t) {
        return new TargetDto(t.endpoint(), t.model(), t.label(),
                t.adapterPath() == null ? null : new AdapterDto(t.adapterPath()));
    }

    private static RunComparisonSummary comparison(ComparisonCounts c) {
        return c == null ? null : new RunComparisonSummary(c.total(), c.changed(), c.identical(),
                c.total() == 0 ? 0.0 : Math.round(10_000.0 * c.changed() / c.total()) / 10_000.0);
    }

    private static Eta eta(RunEta e) {
        return e == null ? null : new Eta(e.seconds(), e.callsPerSecond());
    }

    static OutputResponse toResponse(OutputView v) {
        ProbeOutput o = v.output();
        ReuseSource s = v.reusedFrom();
        return new OutputResponse(o.id, o.probeId, o.targetIndex, o.endpointName, o.model, o.sample, o.status, o.text,
                o.reasoning, o.finishReason, o.promptTokens, o.completionTokens, o.latencyMs, o.paramsSent,
                o.serverModel, o.attempts, o.error, o.reusedFrom != null,
                s == null ? null : new ReusedFrom(s.outputId(), s.probeRunId(), s.checkpointId(), s.step()),
                o.weightsRoot, o.systemFingerprint, o.completedAt, checks(o.checkResults), turns(o.turns));
    }

    private static List<CheckResultDto> checks(List<CheckResult> results) {
        return results == null ? null : results.stream().map(c -> new CheckResultDto(c.type(), c.pass())).toList();
    }

    private static List<TurnDto> turns(List<Turn> turns) {
        return turns == null ? null
                : turns.stream().map(t -> new TurnDto(t.text(), t.reasoning(), t.finishReason())).toList();
    }
}
