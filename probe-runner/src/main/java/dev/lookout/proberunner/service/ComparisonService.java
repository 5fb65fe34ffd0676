package dev.lookout.proberunner.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.CheckResult;
import dev.lookout.proberunner.domain.ComparisonReport;
import dev.lookout.proberunner.domain.ComparisonReport.Answer;
import dev.lookout.proberunner.domain.ComparisonReport.CheckChange;
import dev.lookout.proberunner.domain.ComparisonReport.ComparedProbe;
import dev.lookout.proberunner.domain.ComparisonReport.ReuseCounts;
import dev.lookout.proberunner.domain.ComparisonReport.SemanticStats;
import dev.lookout.proberunner.domain.ComparisonReport.TargetName;
import dev.lookout.proberunner.domain.Probe;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.Suite;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.repository.ComparisonCacheRepository;
import dev.lookout.proberunner.repository.ComparisonCacheRepository.Fingerprint;
import dev.lookout.proberunner.repository.ComparisonCacheRepository.Key;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The behaviour diff: candidate (target 0) vs baseline (target 1), sample 0, probe by probe.
 *
 * <p>Computed once per pair and cached (table {@code comparisons}, keyed by suite version, probe run or none,
 * candidate, baseline and whether it is semantic): a request first takes the fingerprint of the outputs the
 * comparison would be built from (one aggregate query, no texts) and serves the stored JSON when it matches; a new
 * or updated output of either target, or changed comparison settings, changes the fingerprint and the comparison is
 * computed again and stored. The fingerprint is taken <em>before</em> the outputs are read, so a result can only be
 * stored with an older fingerprint than its content (recomputed once more), never the reverse (served stale).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ComparisonService {

    private static final Logger LOG = Logger.getLogger(ComparisonService.class);

    /** Bump when the result's shape or rules change: older cached results are then recomputed. */
    static final int FORMAT = 3;

    private final OutputRepository outputs;
    private final ProbeRunRepository runs;
    private final SuiteService suites;
    private final OutputComparator comparator;
    private final double changedThreshold;
    private final StockPhraseDetector phrases;
    private final ComparisonCacheRepository cache;
    private final ComparisonSettingsService settings;
    private final SemanticScorer semantic;
    /** Every setting the result depends on: part of the fingerprint, so a changed setting invalidates the cache. */
    private final String settingsKey;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final int maxCheckChars;

    public ComparisonService(OutputRepository outputs, ProbeRunRepository runs, SuiteService suites,
            ProbeRunnerConfig config, ComparisonCacheRepository cache,
            ComparisonSettingsService settings, MeterRegistry metrics) {
        this.outputs = outputs;
        this.runs = runs;
        this.suites = suites;
        this.cache = cache;
        this.settings = settings;
        this.metrics = metrics;
        this.maxCheckChars = config.checks().maxTextChars();
        this.changedThreshold = config.comparison().changedThreshold();
        this.comparator = new OutputComparator(changedThreshold, config.comparison().identicalShare());
        ProbeRunnerConfig.StockPhrases sp = config.comparison().stockPhrases();
        StockPhraseDetector.Settings phraseSettings = new StockPhraseDetector.Settings(sp.minOutputs(), sp.minShare(),
                sp.minRise(), sp.minLift(), sp.minWords(), sp.minCjkChars(), sp.minChars(), sp.maxTokens(),
                sp.mergeCountRatio(), sp.maxPhrases(), 5);
        this.phrases = new StockPhraseDetector(phraseSettings);
        double cjkThreshold = config.comparison().semantic().cjkThreshold();
        this.semantic = new SemanticScorer(cjkThreshold);
        this.settingsKey = CanonicalJson.sha256("v" + FORMAT + ";" + changedThreshold + ";"
                + config.comparison().identicalShare() + ";" + phraseSettings + ";" + cjkThreshold + ";"
                + SemanticScorer.Model.MINILM.id + ";" + SemanticScorer.Model.BGE_SMALL_ZH.id).substring(0, 16);
    }

    /**
     * The comparison of a run's own candidate and baseline; from the cache
     * while the run's outputs are unchanged. Blocking (embeddings when semantic): call on a worker thread.
     */
    public ComparisonReport forProbeRun(Caller caller, UUID probeRunId) {
        ProbeRun run = runs.findById(probeRunId);
        if (run == null || !caller.canSee(run.project)) {
            throw new NotFoundException("probe run not found: " + probeRunId);
        }
        if (run.suiteVersionId == null) {
            throw new ConflictException("Probe run " + probeRunId + " failed to start and has no outputs");
        }
        List<RunTarget> targets = run.targets;
        if (targets.size() < 2) {
            throw new ConflictException("Probe run " + probeRunId + " has no baseline target to compare with");
        }
        TargetName c = new TargetName(targets.get(0).endpoint(), targets.get(0).model());
        TargetName b = new TargetName(targets.get(1).endpoint(), targets.get(1).model());
        boolean sem = settings.semanticSimilarity(run.project);
        Key key = new Key(run.suiteVersionId, run.id, c.endpoint(), c.model(), b.endpoint(), b.model(), sem);
        Fingerprint used = cache.fingerprintForRun(probeRunId);
        return cached(key, used).orElseGet(() -> {
            Map<Integer, Map<String, ProbeOutput>> byTarget = bySide(outputs.listByRun(probeRunId));
            ComparisonReport r = build(suites.findVersion(run.suiteVersionId).orElseThrow(), run.id, run.project,
                    c, b, byTarget.getOrDefault(0, Map.of()), byTarget.getOrDefault(1, Map.of()), sem);
            return store(key, used, r);
        });
    }

    /** The comparison of two targets' newest outputs for a suite version; cached like {@link #forProbeRun}. */
    public ComparisonReport forTargets(Caller caller, UUID suiteVersionId, String candidate, String baseline) {
        SuiteVersion version = suites.findVersion(suiteVersionId)
                .orElseThrow(() -> new NotFoundException("suite version not found: " + suiteVersionId));
        Suite suite = suites.findSuite(version.suiteId).orElseThrow();
        if (!caller.canSee(suite.project)) {
            throw new NotFoundException("suite version not found: " + suiteVersionId);
        }
        TargetName c = parseTarget("candidate", candidate);
        TargetName b = parseTarget("baseline", baseline);
        boolean sem = settings.semanticSimilarity(suite.project);
        Key key = new Key(version.id, ComparisonCacheRepository.NO_RUN, c.endpoint(), c.model(), b.endpoint(),
                b.model(), sem);
        Fingerprint used = cache.fingerprintForTargets(version.id, suite.project, c.endpoint(), c.model(),
                b.endpoint(), b.model());
        return cached(key, used).orElseGet(() -> {
            Map<String, ProbeOutput> cand = index(outputs.latestForTarget(version.id, suite.project, c.endpoint(),
                    c.model()));
            Map<String, ProbeOutput> base = index(outputs.latestForTarget(version.id, suite.project, b.endpoint(),
                    b.model()));
            return store(key, used, build(version, null, suite.project, c, b, cand, base, sem));
        });
    }

    private Optional<ComparisonReport> cached(Key key, Fingerprint used) {
        String fingerprint = used.value(settingsKey);
        Optional<ComparisonReport> hit = cache.find(key).filter(c -> c.fingerprint().equals(fingerprint))
                .map(ComparisonCacheRepository.Cached::report);
        count(hit.isPresent() ? "cache" : "computed");
        return hit;
    }

    private ComparisonReport store(Key key, Fingerprint used, ComparisonReport result) {
        // its own short transaction: a failed store must not fail the answer (it is only a cache)
        try {
            QuarkusTransaction.requiringNew()
                    .run(() -> cache.store(key, used.value(settingsKey), used, result));
        } catch (RuntimeException e) {
            LOG.warnf("comparison %s could not be cached (served uncached): %s", key, e.getMessage());
        }
        return result;
    }

    private void count(String source) {
        counters.computeIfAbsent(source, s -> metrics.counter("lookout.comparisons", "source", s)).increment();
    }

    /** Summary for a run's own candidate/baseline pair (stored on the run when it completes). */
    public OutputComparator.Summary summarizeRun(UUID probeRunId) {
        Map<Integer, Map<String, ProbeOutput>> byTarget = bySide(outputs.listByRun(probeRunId));
        Map<String, ProbeOutput> cand = byTarget.getOrDefault(0, Map.of());
        Map<String, ProbeOutput> base = byTarget.getOrDefault(1, Map.of());
        List<OutputComparator.ItemResult> results = new ArrayList<>();
        for (String probeId : cand.keySet()) {
            results.add(comparator.compare(
                    new OutputComparator.Pair(side(cand.get(probeId)), side(base.get(probeId)))));
        }
        return comparator.summarize(results);
    }

    /** "endpoint/model"; the endpoint name has no slash, the model may (e.g. Qwen/Qwen3-0.6B). */
    static TargetName parseTarget(String field, String raw) {
        int slash = raw == null ? -1 : raw.indexOf('/');
        if (slash <= 0 || slash == raw.length() - 1) {
            throw BadInputException.field(field, "must be <endpoint>/<model>");
        }
        return new TargetName(raw.substring(0, slash), raw.substring(slash + 1));
    }

    private ComparisonReport build(SuiteVersion version, UUID probeRunId, String project, TargetName c, TargetName b,
            Map<String, ProbeOutput> cand, Map<String, ProbeOutput> base, boolean withSemantic) {
        Instant computedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<ComparedProbe> items = new ArrayList<>();
        List<OutputComparator.ItemResult> results = new ArrayList<>();
        List<ComparisonAggregates.ProbeChecks> checks = new ArrayList<>();
        List<String[]> comparableTexts = new ArrayList<>();
        List<StockPhraseDetector.Doc> candDocs = new ArrayList<>();
        List<StockPhraseDetector.Doc> baseDocs = new ArrayList<>();
        for (Probe probe : suites.probes(version)) {
            ProbeOutput co = cand.get(probe.id());
            ProbeOutput bo = base.get(probe.id());
            OutputComparator.Side cs = side(co);
            OutputComparator.Side bs = side(bo);
            OutputComparator.ItemResult r = comparator.compare(new OutputComparator.Pair(cs, bs));
            results.add(r);
            List<String> tags = probe.tags() == null ? List.of() : probe.tags();
            List<CheckChange> diffs = ComparisonAggregates.diff(probe.checks(),
                    r.comparable() ? checkResults(probe, co) : null, r.comparable() ? checkResults(probe, bo) : null);
            checks.add(new ComparisonAggregates.ProbeChecks(probe.id(), tags, diffs, probe.checks()));
            if (r.comparable()) {
                comparableTexts.add(new String[] { cs.text(), bs.text() });
            }
            if (cs.text() != null) {
                candDocs.add(new StockPhraseDetector.Doc(probe.id(), cs.text()));
            }
            if (bs.text() != null) {
                baseDocs.add(new StockPhraseDetector.Doc(probe.id(), bs.text()));
            }
            items.add(new ComparedProbe(probe.id(), tags, probe.messages(), answer(co), answer(bo), r.identical(),
                    r.similarity(), r.changed(), r.lengthRatio(), diffs, null, null));
        }
        SemanticStats semanticSummary = withSemantic ? scoreSemantics(items, results) : null;
        OutputComparator.Summary s = comparator.summarize(results);
        List<ComparisonReport.StockPhrase> stock = phrases.detect(candDocs, baseDocs).stream()
                .map(p -> new ComparisonReport.StockPhrase(p.phrase(), p.candidateCount(), p.baselineCount(),
                        p.candidateShare(), p.baselineShare(), p.probes()))
                .toList();
        return new ComparisonReport(version.id, probeRunId, project, c, b, s.total(), s.changed(), s.errors(),
                s.shareChanged(), s.identicalToBaseline(), changedThreshold, items,
                ComparisonAggregates.lengthDrift(comparableTexts), ComparisonAggregates.summarize(checks), stock,
                semanticSummary, computedAt, reusedCounts(cand, base));
    }

    /** Scores the comparable pairs' meaning, writes each score into its item, and sums them up. */
    private SemanticStats scoreSemantics(List<ComparedProbe> items, List<OutputComparator.ItemResult> results) {
        List<String[]> pairs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            pairs.add(results.get(i).comparable()
                    ? new String[] { items.get(i).candidate().text(), items.get(i).baseline().text() }
                    : new String[] { null, null });
        }
        List<SemanticScorer.Score> scores = semantic.score(pairs);
        Map<String, Integer> models = new TreeMap<>();
        double sum = 0;
        Double min = null;
        for (int i = 0; i < items.size(); i++) {
            SemanticScorer.Score sc = scores.get(i);
            if (sc.cosine() == null) {
                continue;
            }
            items.set(i, items.get(i).withSemantic(sc.cosine(), sc.model().id));
            models.merge(sc.model().id, 1, Integer::sum);
            sum += sc.cosine();
            min = min == null ? sc.cosine() : Math.min(min, sc.cosine());
        }
        int scored = models.values().stream().mapToInt(Integer::intValue).sum();
        return new SemanticStats(models.isEmpty() ? null : String.join(",", models.keySet()), models,
                scored, scored == 0 ? null : Math.round(10_000.0 * sum / scored) / 10_000.0, min);
    }

    /** Answers of each side that were copied from an earlier run rather than asked. */
    private static ReuseCounts reusedCounts(Map<String, ProbeOutput> cand, Map<String, ProbeOutput> base) {
        return new ReuseCounts((int) cand.values().stream().filter(o -> o.reusedFrom != null).count(),
                (int) base.values().stream().filter(o -> o.reusedFrom != null).count());
    }

    /**
     * The check results stored with the output, or evaluated now (outputs stored before checks were kept, or stored
     * for another version of the checks).
     */
    private List<CheckResult> checkResults(Probe probe, ProbeOutput o) {
        if (probe.checks() == null || probe.checks().isEmpty()) {
            return List.of();
        }
        if (o.checkResults != null && o.checkResults.size() == probe.checks().size()) {
            return o.checkResults;
        }
        return CheckEvaluator.evaluate(probe.checks(), o.text, maxCheckChars);
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

    private static Answer answer(ProbeOutput o) {
        OutputComparator.Side s = side(o);
        return new Answer(s.text(), s.error());
    }
}
