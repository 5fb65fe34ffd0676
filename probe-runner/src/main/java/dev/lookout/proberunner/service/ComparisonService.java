package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.Suite;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import dev.lookout.proberunner.rest.Dtos.CheckDiff;
import dev.lookout.proberunner.rest.Dtos.ComparisonItem;
import dev.lookout.proberunner.rest.Dtos.ComparisonResponse;
import dev.lookout.proberunner.rest.Dtos.ProbeDto;
import dev.lookout.proberunner.rest.Dtos.SideDto;
import dev.lookout.proberunner.rest.Dtos.StockPhraseDto;
import dev.lookout.proberunner.rest.Dtos.TargetRef;

/** The behaviour diff: candidate (target 0) vs baseline (target 1), sample 0, probe by probe. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ComparisonService {

    private final OutputRepository outputs;
    private final ProbeRunRepository runs;
    private final SuiteService suites;
    private final OutputComparator comparator;
    private final double changedThreshold;
    private final StockPhraseDetector phrases;
    private final ObjectMapper mapper;

    public ComparisonService(OutputRepository outputs, ProbeRunRepository runs, SuiteService suites,
            ProbeRunnerConfig config, ObjectMapper mapper) {
        this.outputs = outputs;
        this.runs = runs;
        this.suites = suites;
        this.mapper = mapper;
        this.changedThreshold = config.comparison().changedThreshold();
        this.comparator = new OutputComparator(changedThreshold, config.comparison().identicalShare());
        ProbeRunnerConfig.StockPhrases sp = config.comparison().stockPhrases();
        this.phrases = new StockPhraseDetector(new StockPhraseDetector.Settings(sp.minOutputs(), sp.minShare(),
                sp.minRise(), sp.minLift(), sp.minWords(), sp.minCjkChars(), sp.maxTokens(), sp.mergeCountRatio(),
                sp.maxPhrases(), 5));
    }

    public ComparisonResponse forProbeRun(Caller caller, UUID probeRunId) {
        ProbeRun run = runs.findById(probeRunId);
        if (run == null || !caller.canSee(run.project)) {
            throw new NotFoundException("probe run not found: " + probeRunId);
        }
        if (run.suiteVersionId == null) {
            throw new ConflictException("Probe run " + probeRunId + " failed to start and has no outputs");
        }
        Map<Integer, Map<String, ProbeOutput>> byTarget = bySide(outputs.listByRun(probeRunId));
        if (!byTarget.containsKey(0) || !byTarget.containsKey(1)) {
            throw new ConflictException("Probe run " + probeRunId + " has no baseline target to compare with");
        }
        ProbeOutput c0 = byTarget.get(0).values().iterator().next();
        ProbeOutput b0 = byTarget.get(1).values().iterator().next();
        return build(suites.findVersion(run.suiteVersionId).orElseThrow(), run.id, run.project,
                new TargetRef(c0.endpointName, c0.model), new TargetRef(b0.endpointName, b0.model),
                byTarget.get(0), byTarget.get(1));
    }

    public ComparisonResponse forTargets(Caller caller, UUID suiteVersionId, String candidate, String baseline) {
        SuiteVersion version = suites.findVersion(suiteVersionId)
                .orElseThrow(() -> new NotFoundException("suite version not found: " + suiteVersionId));
        Suite suite = suites.findSuite(version.suiteId).orElseThrow();
        if (!caller.canSee(suite.project)) {
            throw new NotFoundException("suite version not found: " + suiteVersionId);
        }
        TargetRef c = parseTarget("candidate", candidate);
        TargetRef b = parseTarget("baseline", baseline);
        Map<String, ProbeOutput> cand = index(outputs.latestForTarget(version.id, suite.project, c.endpoint(), c.model()));
        Map<String, ProbeOutput> base = index(outputs.latestForTarget(version.id, suite.project, b.endpoint(), b.model()));
        return build(version, null, suite.project, c, b, cand, base);
    }

    /** Summary for a run's own candidate/baseline pair (stored on the run when it completes). */
    public OutputComparator.Summary summarizeRun(UUID probeRunId) {
        Map<Integer, Map<String, ProbeOutput>> byTarget = bySide(outputs.listByRun(probeRunId));
        Map<String, ProbeOutput> cand = byTarget.getOrDefault(0, Map.of());
        Map<String, ProbeOutput> base = byTarget.getOrDefault(1, Map.of());
        List<OutputComparator.ItemResult> results = new ArrayList<>();
        for (String probeId : cand.keySet()) {
            results.add(comparator.compare(new OutputComparator.Pair(side(cand.get(probeId)), side(base.get(probeId)))));
        }
        return comparator.summarize(results);
    }

    /** "endpoint/model"; the endpoint name has no slash, the model may (e.g. Qwen/Qwen3-0.6B). */
    static TargetRef parseTarget(String field, String raw) {
        int slash = raw == null ? -1 : raw.indexOf('/');
        if (slash <= 0 || slash == raw.length() - 1) {
            throw BadInputException.field(field, "must be <endpoint>/<model>");
        }
        return new TargetRef(raw.substring(0, slash), raw.substring(slash + 1));
    }

    private ComparisonResponse build(SuiteVersion version, UUID probeRunId, String project, TargetRef c, TargetRef b,
            Map<String, ProbeOutput> cand, Map<String, ProbeOutput> base) {
        List<ComparisonItem> items = new ArrayList<>();
        List<OutputComparator.ItemResult> results = new ArrayList<>();
        List<ComparisonAggregates.ProbeChecks> checks = new ArrayList<>();
        List<String[]> comparableTexts = new ArrayList<>();
        List<StockPhraseDetector.Doc> candDocs = new ArrayList<>();
        List<StockPhraseDetector.Doc> baseDocs = new ArrayList<>();
        for (ProbeDto probe : suites.probes(version)) {
            ProbeOutput co = cand.get(probe.id());
            ProbeOutput bo = base.get(probe.id());
            OutputComparator.Side cs = side(co);
            OutputComparator.Side bs = side(bo);
            OutputComparator.ItemResult r = comparator.compare(new OutputComparator.Pair(cs, bs));
            results.add(r);
            List<String> tags = probe.tags() == null ? List.of() : probe.tags();
            List<CheckDiff> diffs = ComparisonAggregates.diff(probe.checks(),
                    r.comparable() ? checkResults(probe, co) : null, r.comparable() ? checkResults(probe, bo) : null);
            checks.add(new ComparisonAggregates.ProbeChecks(tags, diffs));
            if (r.comparable()) {
                comparableTexts.add(new String[] { cs.text(), bs.text() });
            }
            if (cs.text() != null) {
                candDocs.add(new StockPhraseDetector.Doc(probe.id(), cs.text()));
            }
            if (bs.text() != null) {
                baseDocs.add(new StockPhraseDetector.Doc(probe.id(), bs.text()));
            }
            items.add(new ComparisonItem(probe.id(), tags, probe.messages(), sideDto(co), sideDto(bo), r.identical(),
                    r.similarity(), r.changed(), r.lengthRatio(), diffs));
        }
        OutputComparator.Summary s = comparator.summarize(results);
        List<StockPhraseDto> stock = phrases.detect(candDocs, baseDocs).stream()
                .map(p -> new StockPhraseDto(p.phrase(), p.candidateCount(), p.baselineCount(), p.candidateShare(),
                        p.baselineShare(), p.probes()))
                .toList();
        return new ComparisonResponse(version.id, probeRunId, project, c, b, s.total(), s.changed(), s.errors(),
                s.shareChanged(), s.identicalToBaseline(), changedThreshold, items,
                ComparisonAggregates.lengthDrift(comparableTexts), ComparisonAggregates.summarize(checks), stock);
    }

    /** The check results stored with the output, or evaluated now (outputs stored before checks were kept). */
    private List<CheckEvaluator.Result> checkResults(ProbeDto probe, ProbeOutput o) {
        if (probe.checks() == null || probe.checks().isEmpty()) {
            return List.of();
        }
        if (o.checkResults != null) {
            try {
                List<CheckEvaluator.Result> stored = mapper.readValue(o.checkResults,
                        new TypeReference<List<CheckEvaluator.Result>>() {
                        });
                if (stored.size() == probe.checks().size()) {
                    return stored;
                }
            } catch (JsonProcessingException e) {
                // fall through: evaluate again
            }
        }
        return CheckEvaluator.evaluate(probe.checks(), o.text);
    }

    private static Map<Integer, Map<String, ProbeOutput>> bySide(List<ProbeOutput> all) {
        Map<Integer, Map<String, ProbeOutput>> byTarget = new HashMap<>();
        for (ProbeOutput o : all) {
            if (o.sample == 0 && o.targetIndex <= 1) {
                byTarget.computeIfAbsent(o.targetIndex, k -> new HashMap<>()).put(o.probeId, o);
            }
        }
        return byTarget;
    }

    private static Map<String, ProbeOutput> index(List<ProbeOutput> list) {
        Map<String, ProbeOutput> m = new HashMap<>();
        list.forEach(o -> m.put(o.probeId, o));
        return m;
    }

    private static OutputComparator.Side side(ProbeOutput o) {
        if (o == null) {
            return new OutputComparator.Side(null, "no output");
        }
        if (ProbeOutput.DONE.equals(o.status)) {
            return new OutputComparator.Side(o.text, null);
        }
        return new OutputComparator.Side(null, o.error != null ? o.error : o.status);
    }

    private static SideDto sideDto(ProbeOutput o) {
        OutputComparator.Side s = side(o);
        return new SideDto(s.text(), s.error());
    }
}
