package dev.lookout.review.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.review.entity.ReviewBatch;
import dev.lookout.review.repository.BatchRepository;
import dev.lookout.review.repository.StopRepository;
import dev.lookout.review.repository.VoteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Aggregates the counted votes (latest per reviewer and item) into verdicts for candidate vs baseline. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class VerdictService {

    /**
     * ids are null when a verdict spans batches that differ in them. {@code against}: base, previous or targets;
     * the baseline* ids name the previous checkpoint. {@code tally} counts rubric tags by id; {@code probeTags} counts
     * the suite tags of the voted items; {@code tagLabels} labels every rubric id in the tally.
     */
    public record Verdict(UUID batchId, UUID probeRunId, UUID runId, UUID checkpointId, Long step,
                          Target candidate, Target baseline, VerdictTally tally, Agreement.Result agreement,
                          String against, UUID baselineProbeRunId, UUID baselineCheckpointId, Long baselineStep,
                          Stopping.Rule stopping, Stopping.Stop stopped, Map<String, VerdictTally.TagCounts> probeTags,
                          Map<String, RubricTag.Label> tagLabels) {
    }

    /**
     * One target's Bradley–Terry strength (log scale, base = 0) with its bootstrap interval; checkpointId and step
     * of the run's checkpoint it serves (null for the base model).
     */
    public record Strength(Target target, Double strength, Double low, Double high, long votes, UUID checkpointId,
                           Long step) {
        public boolean linked() {
            return strength != null;
        }
    }

    private record Counted(VerdictTally tally, Agreement.Result agreement, VerdictTally probeTally,
                           Map<String, RubricTag.Label> tagLabels) {
    }

    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };

    private final BatchRepository batches;
    private final VoteRepository votes;
    private final ObjectMapper json;
    private final ProjectSettingsService settings;
    private final StopRepository stops;

    public VerdictService(BatchRepository batches, VoteRepository votes, ObjectMapper json,
                          ProjectSettingsService settings, StopRepository stops) {
        this.batches = batches;
        this.votes = votes;
        this.json = json;
        this.settings = settings;
        this.stops = stops;
    }

    /** One verdict per batch of the run (i.e. per checkpoint probe run), in step order; other projects' left out. */
    public List<Verdict> forRun(Caller caller, UUID runId) {
        return batches.listByRun(runId).stream()
                .filter(b -> caller.canRead(b.project, b.status))
                .map(this::ofBatch)
                .toList();
    }

    /** All batches of the project with exactly this candidate and baseline, as one verdict. */
    public Verdict forTargets(Caller caller, String project, Target candidate, Target baseline) {
        if (!caller.canSee(project)) {
            throw new NotFoundException("project not found");
        }
        List<ReviewBatch> found = batches.listByTargets(project, candidate.endpoint(), candidate.model(),
                baseline.endpoint(), baseline.model()).stream().filter(b -> caller.canRead(b.project, b.status)).toList();
        if (found.isEmpty()) {
            throw new NotFoundException("no review batch for this candidate and baseline in project " + project);
        }
        Counted counted = count(project, found.stream().map(b -> b.id).toList());
        ReviewBatch one = found.size() == 1 ? found.get(0) : null;
        return new Verdict(
                same(found, b -> b.id), same(found, b -> b.probeRunId), same(found, b -> b.runId),
                same(found, b -> b.checkpointId), same(found, b -> b.step), candidate, baseline,
                counted.tally(), counted.agreement(), same(found, b -> b.against),
                same(found, b -> b.baselineProbeRunId), same(found, b -> b.baselineCheckpointId),
                same(found, b -> b.baselineStep), one == null ? null : rule(one),
                one == null ? null : stops.stopsOf(List.of(one.id)).get(one.id),
                counted.probeTally().tags(), counted.tagLabels());
    }

    public Verdict ofBatch(ReviewBatch batch) {
        Counted counted = count(batch.project, List.of(batch.id));
        return new Verdict(batch.id, batch.probeRunId, batch.runId, batch.checkpointId, batch.step,
                new Target(batch.candidateEndpoint, batch.candidateModel),
                new Target(batch.baselineEndpoint, batch.baselineModel),
                counted.tally(), counted.agreement(), batch.against, batch.baselineProbeRunId,
                batch.baselineCheckpointId, batch.baselineStep, rule(batch),
                stops.stopsOf(List.of(batch.id)).get(batch.id), counted.probeTally().tags(), counted.tagLabels());
    }

    /** The batch's stopping rule, null when it has none. */
    static Stopping.Rule rule(ReviewBatch batch) {
        Stopping.Rule rule = new Stopping.Rule(batch.stopWhenDecided, batch.maxVotes);
        return rule.any() ? rule : null;
    }

    /**
     * Bradley–Terry strengths of every target of the run's batches (the caller's projects only), from every counted
     * vote (candidate vs its baseline; a tie is half a win each way, both-bad left out). The base model is fixed at
     * 0: a target that is some batch's baseline and never a candidate (the most used one), else the first baseline.
     * Targets in order of first appearance by step, base first; empty when the run has no visible batch.
     */
    public List<Strength> bradleyTerry(Caller caller, UUID runId) {
        List<ReviewBatch> found = batches.listByRun(runId).stream()
                .filter(b -> caller.canRead(b.project, b.status)).toList();
        if (found.isEmpty()) {
            return List.of();
        }
        Map<Target, Long> baselineUse = new LinkedHashMap<>();
        java.util.Set<Target> candidates = new java.util.HashSet<>();
        for (ReviewBatch b : found) {
            baselineUse.merge(new Target(b.baselineEndpoint, b.baselineModel), 1L, Long::sum);
            candidates.add(new Target(b.candidateEndpoint, b.candidateModel));
        }
        Target base = new Target(found.get(0).baselineEndpoint, found.get(0).baselineModel);
        long most = 0;
        for (Map.Entry<Target, Long> use : baselineUse.entrySet()) { // first seen wins a tie
            if (!candidates.contains(use.getKey()) && use.getValue() > most) {
                base = use.getKey();
                most = use.getValue();
            }
        }
        List<Target> targets = new java.util.ArrayList<>(List.of(base));
        Map<UUID, int[]> sides = new java.util.HashMap<>(); // batch → {candidate index, baseline index}
        for (ReviewBatch b : found) {
            int c = indexOf(targets, new Target(b.candidateEndpoint, b.candidateModel));
            int r = indexOf(targets, new Target(b.baselineEndpoint, b.baselineModel));
            sides.put(b.id, new int[]{c, r});
        }
        List<BradleyTerry.Comparison> comparisons = new java.util.ArrayList<>();
        for (VoteRepository.CountedVote vote : votes.latestVotes(sides.keySet())) {
            int[] pair = sides.get(vote.batchId());
            switch (Outcome.of(Choice.valueOf(vote.choice()), Side.valueOf(vote.candidateSide()))) {
                case WIN -> comparisons.add(new BradleyTerry.Comparison(pair[0], pair[1], 1.0));
                case LOSS -> comparisons.add(new BradleyTerry.Comparison(pair[0], pair[1], 0.0));
                case TIE -> comparisons.add(new BradleyTerry.Comparison(pair[0], pair[1], 0.5));
                case BOTH_BAD -> {
                }
            }
        }
        List<BradleyTerry.Strength> fitted = BradleyTerry.withIntervals(targets.size(), 0, comparisons,
                BradleyTerry.RESAMPLES, BradleyTerry.SEED, VerdictTally.CONFIDENCE);
        return fitted.stream()
                .map(s -> {
                    ReviewBatch served = servedBy(found, targets.get(s.target()));
                    return new Strength(targets.get(s.target()), s.strength(), s.low(), s.high(), s.comparisons(),
                            served == null ? null : served.checkpointId, served == null ? null : served.step);
                })
                .toList();
    }

    /** The run's batch whose candidate is this target (its checkpoint), null for the base model. */
    private static ReviewBatch servedBy(List<ReviewBatch> found, Target target) {
        return found.stream()
                .filter(b -> b.checkpointId != null && target.equals(new Target(b.candidateEndpoint, b.candidateModel)))
                .findFirst().orElse(null);
    }

    private static int indexOf(List<Target> targets, Target target) {
        int at = targets.indexOf(target);
        if (at >= 0) {
            return at;
        }
        targets.add(target);
        return targets.size() - 1;
    }

    /** Win/loss counts only (no tags, no agreement): what the stopping rule needs. */
    VerdictTally tally(Collection<UUID> batchIds) {
        VerdictTally tally = new VerdictTally();
        for (VoteRepository.CountedVote vote : votes.latestVotes(batchIds)) {
            tally.add(Outcome.of(Choice.valueOf(vote.choice()), Side.valueOf(vote.candidateSide())), List.of());
        }
        return tally;
    }

    /**
     * Counts the latest votes. Rubric tags are counted by id: a vote stored before tags had ids names the tag by its
     * label and is mapped to the id of the project's tag with that label (unknown names are kept as they are).
     */
    private Counted count(String project, Collection<UUID> batchIds) {
        VerdictTally tally = new VerdictTally();
        VerdictTally probeTally = new VerdictTally();
        Agreement agreement = new Agreement();
        List<RubricTag> known = settings.everyTag(project);
        Map<String, RubricTag.Label> labels = new java.util.TreeMap<>();
        for (VoteRepository.CountedVote vote : votes.latestVotes(batchIds)) {
            Outcome outcome = Outcome.of(Choice.valueOf(vote.choice()), Side.valueOf(vote.candidateSide()));
            List<String> ids = new java.util.ArrayList<>();
            for (String tag : parseTags(vote.tagsJson())) {
                RubricTag found = known.stream().filter(t -> t.matches(tag)).findFirst().orElse(null);
                ids.add(found == null ? tag : found.id());
                if (found != null) {
                    labels.put(found.id(), found.label());
                }
            }
            tally.add(outcome, new java.util.LinkedHashSet<>(ids));
            probeTally.add(outcome, parseTags(vote.probeTagsJson()));
            agreement.add(vote.itemId(), vote.reviewer(), outcome);
        }
        return new Counted(tally, agreement.result(), probeTally, labels);
    }

    /** Fields of verdict.updated (CONTRACTS) plus the derived statistics. */
    public static Map<String, Object> eventFields(Verdict verdict) {
        VerdictTally t = verdict.tally();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("batchId", str(verdict.batchId()));
        fields.put("probeRunId", str(verdict.probeRunId()));
        fields.put("runId", str(verdict.runId()));
        fields.put("checkpointId", str(verdict.checkpointId()));
        fields.put("candidate", Map.of("endpoint", verdict.candidate().endpoint(), "model", verdict.candidate().model()));
        fields.put("baseline", Map.of("endpoint", verdict.baseline().endpoint(), "model", verdict.baseline().model()));
        fields.put("wins", t.wins());
        fields.put("ties", t.ties());
        fields.put("losses", t.losses());
        fields.put("bothBad", t.bothBad());
        fields.put("votes", t.votes());
        fields.put("winRate", t.winRate());
        Wilson.Interval interval = t.interval();
        fields.put("low", interval == null ? null : interval.low());
        fields.put("high", interval == null ? null : interval.high());
        fields.put("decided", t.decided());
        return fields;
    }

    private List<String> parseTags(String tagsJson) {
        if (tagsJson == null || tagsJson.isBlank()) {
            return List.of();
        }
        try {
            return json.readValue(tagsJson, TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored vote tags are not a JSON array", e);
        }
    }

    private static <T> T same(List<ReviewBatch> found, java.util.function.Function<ReviewBatch, T> field) {
        T first = field.apply(found.get(0));
        return found.stream().allMatch(b -> java.util.Objects.equals(field.apply(b), first)) ? first : null;
    }

    private static String str(UUID id) {
        return id == null ? null : id.toString();
    }
}
