package dev.lookout.review.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.review.entity.ReviewBatch;
import dev.lookout.review.repository.BatchRepository;
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

    /** ids are null when a verdict spans batches that differ in them. */
    public record Verdict(UUID batchId, UUID probeRunId, UUID runId, UUID checkpointId, Long step,
                          Target candidate, Target baseline, VerdictTally tally) {
    }

    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };

    private final BatchRepository batches;
    private final VoteRepository votes;
    private final ObjectMapper json;

    public VerdictService(BatchRepository batches, VoteRepository votes, ObjectMapper json) {
        this.batches = batches;
        this.votes = votes;
        this.json = json;
    }

    /** One verdict per batch of the run (i.e. per checkpoint probe run), in step order; other projects' left out. */
    public List<Verdict> forRun(Caller caller, UUID runId) {
        return batches.listByRun(runId).stream()
                .filter(b -> caller.canSee(b.project))
                .map(this::ofBatch)
                .toList();
    }

    /** All batches of the project with exactly this candidate and baseline, as one verdict. */
    public Verdict forTargets(Caller caller, String project, Target candidate, Target baseline) {
        if (!caller.canSee(project)) {
            throw new NotFoundException("project not found");
        }
        List<ReviewBatch> found = batches.listByTargets(project, candidate.endpoint(), candidate.model(),
                baseline.endpoint(), baseline.model());
        if (found.isEmpty()) {
            throw new NotFoundException("no review batch for this candidate and baseline in project " + project);
        }
        VerdictTally tally = tally(found.stream().map(b -> b.id).toList());
        return new Verdict(
                same(found, b -> b.id), same(found, b -> b.probeRunId), same(found, b -> b.runId),
                same(found, b -> b.checkpointId), same(found, b -> b.step), candidate, baseline, tally);
    }

    public Verdict ofBatch(ReviewBatch batch) {
        return new Verdict(batch.id, batch.probeRunId, batch.runId, batch.checkpointId, batch.step,
                new Target(batch.candidateEndpoint, batch.candidateModel),
                new Target(batch.baselineEndpoint, batch.baselineModel),
                tally(List.of(batch.id)));
    }

    VerdictTally tally(Collection<UUID> batchIds) {
        VerdictTally tally = new VerdictTally();
        for (VoteRepository.CountedVote vote : votes.latestVotes(batchIds)) {
            Outcome outcome = Outcome.of(Choice.valueOf(vote.choice()), Side.valueOf(vote.candidateSide()));
            tally.add(outcome, parseTags(vote.tagsJson()));
        }
        return tally;
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
