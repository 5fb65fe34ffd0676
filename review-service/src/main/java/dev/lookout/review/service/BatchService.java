package dev.lookout.review.service;

import dev.lookout.review.client.Comparison;
import dev.lookout.review.client.ProbeRunView;
import dev.lookout.review.client.ProbeRunnerClient;
import dev.lookout.review.client.ProbeRunnerUnavailableException;
import dev.lookout.review.config.ReviewConfig;
import dev.lookout.review.entity.ProcessedEvent;
import dev.lookout.review.entity.ReviewBatch;
import dev.lookout.review.entity.ReviewItem;
import dev.lookout.review.messaging.EventTypes;
import dev.lookout.review.messaging.OutboxWriter;
import dev.lookout.review.repository.BatchRepository;
import dev.lookout.review.repository.ItemRepository;
import dev.lookout.review.repository.ProcessedEventRepository;
import dev.lookout.review.repository.StopRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Builds review batches from probe-runner comparisons, on probe-run.completed and on demand.
 * One batch per probe run (unique key), so re-delivered events and repeated requests never queue an item twice.
 * The REST calls to probe-runner happen outside any transaction; the batch is written in one.
 */
@ApplicationScoped
public class BatchService {

    private static final Logger LOG = Logger.getLogger(BatchService.class);

    /**
     * What a batch is about: everything except the texts. {@code against} = base (the probe run's own baseline),
     * previous (the previous checkpoint of the run, named by the baseline* fields) or targets (on demand).
     */
    public record Source(String project, UUID probeRunId, UUID runId, UUID checkpointId, Long step,
                         UUID suiteVersionId, Target candidate, Target baseline, String against,
                         UUID baselineProbeRunId, UUID baselineCheckpointId, Long baselineStep) {

        /** A batch against the probe run's own baseline (or by targets when there is no probe run). */
        public Source(String project, UUID probeRunId, UUID runId, UUID checkpointId, Long step,
                      UUID suiteVersionId, Target candidate, Target baseline) {
            this(project, probeRunId, runId, checkpointId, step, suiteVersionId, candidate, baseline,
                    probeRunId == null ? ReviewBatch.AGAINST_TARGETS : ReviewBatch.AGAINST_BASE, null, null, null);
        }
    }

    public record Summary(ReviewBatch batch, long items, long controls, Stopping.Stop stopped) {
        public Summary(ReviewBatch batch, long items, long controls) {
            this(batch, items, controls, null);
        }
    }

    public record Created(Summary summary, boolean created) {
    }

    private final BatchRepository batches;
    private final ItemRepository items;
    private final ProcessedEventRepository processed;
    private final ProbeRunnerClient probeRunner;
    private final ReviewConfig config;
    private final ProjectSettingsService settings;
    private final StopRepository stops;
    private final OutboxWriter outbox;
    private final Random random = new SecureRandom();

    public BatchService(BatchRepository batches, ItemRepository items, ProcessedEventRepository processed,
                        ProbeRunnerClient probeRunner, ReviewConfig config, ProjectSettingsService settings,
                        StopRepository stops, OutboxWriter outbox) {
        this.outbox = outbox;
        this.batches = batches;
        this.items = items;
        this.processed = processed;
        this.probeRunner = probeRunner;
        this.config = config;
        this.settings = settings;
        this.stops = stops;
    }

    /**
     * Handles probe-run.completed; idempotent on the event id and on (probe run, against). Per the project's review
     * settings it queues the checkpoint against the run's baseline and against the previous checkpoint of the run on
     * the same suite version (the first checkpoint is always judged against the base); the previous-checkpoint pairs
     * are built first, so a failure there re-delivers the event before it is marked processed.
     */
    public void onProbeRunCompleted(UUID eventId, Source source) {
        if (processed.findByIdOptional(eventId).isPresent()) {
            return;
        }
        if (source.candidate() == null || source.baseline() == null) {
            LOG.infof("probe run %s has no candidate/baseline pair; no review batch", source.probeRunId());
            markProcessed(eventId);
            return;
        }
        ReviewSettings wanted = settings.settings(source.project());
        boolean hasPrevious = false;
        if (wanted.wantsPrevious() && source.runId() != null && source.step() != null
                && source.suiteVersionId() != null) {
            hasPrevious = linkNeighbours(source, wanted);
        }
        if (!wanted.wantsBase() && hasPrevious) {
            markProcessed(eventId);
            return;
        }
        if (batches.findByProbeRun(source.probeRunId(), ReviewBatch.AGAINST_BASE).isPresent()) {
            markProcessed(eventId);
            return;
        }
        Comparison comparison = probeRunner.comparison(source.probeRunId()).orElseThrow(() ->
                new ProbeRunnerUnavailableException("probe-runner has no comparison for probe run "
                        + source.probeRunId(), null));
        if (comparison.project() != null && !comparison.project().equals(source.project())) {
            LOG.warnf("probe run %s: event project and comparison project differ; ignored", source.probeRunId());
            markProcessed(eventId);
            return;
        }
        Stopping.Rule rule = new Stopping.Rule(wanted.stopWhenDecided(), wanted.maxVotes());
        try {
            QuarkusTransaction.requiringNew().call(() ->
                    persist(source, comparison, null, config.reviewsPerItem(), rule, eventId));
        } catch (RuntimeException e) {
            if (batches.findByProbeRun(source.probeRunId(), ReviewBatch.AGAINST_BASE).isPresent()) {
                markProcessed(eventId); // lost a race with POST /api/review-batches
                return;
            }
            throw e;
        }
    }

    /**
     * Builds "this checkpoint vs the previous one" when the previous checkpoint's probe run (same run, same suite
     * version, highest lower step) has completed, and "next vs this" when the next checkpoint's has: whichever
     * completes last builds the pair. Returns whether this checkpoint has a previous checkpoint that may still
     * complete (or has).
     */
    private boolean linkNeighbours(Source source, ReviewSettings wanted) {
        List<ProbeRunView> peers = probeRunner.probeRunsOfRun(source.project(), source.runId()).stream()
                .filter(r -> source.suiteVersionId().equals(r.suiteVersionId()) && r.step() != null
                        && r.checkpointId() != null && r.targets() != null && !r.targets().isEmpty()
                        && !r.step().equals(source.step()) && source.project().equals(r.project()))
                .toList();
        ProbeRunView previous = neighbour(peers, source.step(), true);
        if (previous != null && COMPLETED.equals(previous.status())) {
            buildPrevious(source, previous, wanted);
        }
        ProbeRunView next = neighbour(peers, source.step(), false);
        if (next != null && COMPLETED.equals(next.status()) && next.targets().size() >= 2) {
            ProbeRunView.Target c = next.targets().get(0);
            ProbeRunView.Target b = next.targets().get(1);
            Source nextSource = new Source(source.project(), next.id(), next.runId(), next.checkpointId(), next.step(),
                    next.suiteVersionId(), new Target(c.endpoint(), c.model()), new Target(b.endpoint(), b.model()));
            ProbeRunView self = new ProbeRunView(source.probeRunId(), source.project(), source.runId(),
                    source.checkpointId(), source.step(), source.suiteVersionId(), COMPLETED,
                    List.of(new ProbeRunView.Target(source.candidate().endpoint(), source.candidate().model(), null)));
            buildPrevious(nextSource, self, wanted);
        }
        // a previous checkpoint whose probe run failed or was cancelled never completes: judge against the base
        return previous != null && !List.of("failed", "cancelled").contains(previous.status());
    }

    private static final String COMPLETED = "completed";

    /** The closest checkpoint below (or above) the step; among probe runs of that step a completed one, newest id. */
    static ProbeRunView neighbour(List<ProbeRunView> peers, long step, boolean below) {
        ProbeRunView best = null;
        for (ProbeRunView r : peers) {
            if (below ? r.step() >= step : r.step() <= step) {
                continue;
            }
            if (best == null || (below ? r.step() > best.step() : r.step() < best.step())
                    || (r.step().equals(best.step()) && COMPLETED.equals(r.status()) && !COMPLETED.equals(best.status()))) {
                best = r;
            }
        }
        return best;
    }

    /** The candidate's probe run against the previous checkpoint's target; nothing when it exists already. */
    private void buildPrevious(Source current, ProbeRunView previous, ReviewSettings wanted) {
        if (batches.findByProbeRun(current.probeRunId(), ReviewBatch.AGAINST_PREVIOUS).isPresent()) {
            return;
        }
        ProbeRunView.Target p = previous.targets().get(0);
        Target previousTarget = new Target(p.endpoint(), p.model());
        if (previousTarget.equals(current.candidate())) {
            LOG.warnf("checkpoints at steps %d and %d of run %s are served under the same name %s/%s: no pair"
                    + " against the previous checkpoint", previous.step(), current.step(), current.runId(),
                    p.endpoint(), p.model());
            return;
        }
        Comparison comparison = probeRunner.comparison(current.suiteVersionId(),
                        current.candidate().endpoint() + "/" + current.candidate().model(),
                        previousTarget.endpoint() + "/" + previousTarget.model())
                .orElseThrow(() -> new ProbeRunnerUnavailableException("probe-runner has no comparison of "
                        + current.candidate() + " with " + previousTarget, null));
        Source source = new Source(current.project(), current.probeRunId(), current.runId(), current.checkpointId(),
                current.step(), current.suiteVersionId(), current.candidate(), previousTarget,
                ReviewBatch.AGAINST_PREVIOUS, previous.id(), previous.checkpointId(), previous.step());
        Stopping.Rule rule = new Stopping.Rule(wanted.stopWhenDecided(), wanted.maxVotes());
        try {
            QuarkusTransaction.requiringNew().call(() ->
                    persist(source, comparison, null, config.reviewsPerItem(), rule, null));
        } catch (RuntimeException e) {
            if (batches.findByProbeRun(current.probeRunId(), ReviewBatch.AGAINST_PREVIOUS).isEmpty()) {
                throw e;
            } // built by the event of the neighbouring checkpoint meanwhile
        }
    }

    /** POST /api/review-batches: returns the existing batch of that probe run, or builds it. */
    public Created createOnDemand(Caller caller, String project, UUID probeRunId, Integer size, Integer reviewsPerItem,
                                  Stopping.Rule stopping) {
        if (!caller.canSee(project)) {
            throw new NotFoundException("project not found");
        }
        Optional<ReviewBatch> existing = batches.findByProbeRun(probeRunId, ReviewBatch.AGAINST_BASE);
        if (existing.isPresent()) {
            if (!existing.get().project.equals(project)) {
                throw new NotFoundException("probe run not found");
            }
            return new Created(summarise(existing.get()), false);
        }
        ProbeRunView run = probeRunner.probeRun(probeRunId)
                .filter(r -> project.equals(r.project()))
                .orElseThrow(() -> new NotFoundException("probe run not found"));
        if (!"completed".equals(run.status())) {
            throw new ConflictException("probe run is " + run.status() + "; a review batch needs a completed probe run");
        }
        if (run.targets() == null || run.targets().size() < 2) {
            throw new BadInputException("probe run has no baseline target to compare with",
                    List.of(new BadInputException.Where("probeRun", "needs two targets (candidate and baseline)")));
        }
        Comparison comparison = probeRunner.comparison(probeRunId)
                .orElseThrow(() -> new NotFoundException("comparison not found"));
        ProbeRunView.Target candidate = run.targets().get(0);
        ProbeRunView.Target baseline = run.targets().get(1);
        Source source = new Source(project, probeRunId, run.runId(), run.checkpointId(), run.step(),
                run.suiteVersionId() != null ? run.suiteVersionId() : comparison.suiteVersionId(),
                new Target(candidate.endpoint(), candidate.model()), new Target(baseline.endpoint(), baseline.model()));
        int k = reviewsPerItem == null ? config.reviewsPerItem() : reviewsPerItem;
        Stopping.Rule rule = ruleOr(project, stopping);
        try {
            return new Created(QuarkusTransaction.requiringNew()
                    .call(() -> persist(source, comparison, size, k, rule, null)), true);
        } catch (RuntimeException e) {
            Optional<ReviewBatch> raced = batches.findByProbeRun(probeRunId, ReviewBatch.AGAINST_BASE);
            if (raced.isPresent()) {
                return new Created(summarise(raced.get()), false);
            }
            throw e;
        }
    }

    /**
     * POST /api/review-batches by targets: a batch from probe-runner's comparison of the pair's latest outputs on the
     * suite version. The open batch of that project, suite version and pair (built from a probe run or on demand) is
     * returned instead when there is one; outputs queued by an earlier batch of the pair are left out, so a pair of
     * texts never enters a queue twice. runId, checkpointId, step and probeRunId stay null.
     */
    public Created createForTargets(Caller caller, String project, UUID suiteVersionId, Target candidate,
                                    Target baseline, Integer size, Integer reviewsPerItem, Stopping.Rule stopping) {
        if (!caller.canSee(project)) {
            throw new NotFoundException("project not found");
        }
        Optional<ReviewBatch> open = QuarkusTransaction.joiningExisting()
                .call(() -> batches.findOpenByPair(project, suiteVersionId, candidate, baseline));
        if (open.isPresent()) {
            return new Created(QuarkusTransaction.joiningExisting().call(() -> summarise(open.get())), false);
        }
        Comparison comparison = probeRunner.comparison(suiteVersionId, candidate.endpoint() + "/" + candidate.model(),
                        baseline.endpoint() + "/" + baseline.model())
                .filter(c -> c.project() == null || project.equals(c.project()))
                .orElseThrow(() -> new NotFoundException("suite version not found"));
        Source source = new Source(project, null, null, null, null, suiteVersionId, candidate, baseline);
        int k = reviewsPerItem == null ? config.reviewsPerItem() : reviewsPerItem;
        Stopping.Rule rule = ruleOr(project, stopping);
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                batches.lockPair(project, suiteVersionId, candidate, baseline);
                Optional<ReviewBatch> raced = batches.findOpenByPair(project, suiteVersionId, candidate, baseline);
                if (raced.isPresent()) {
                    return new Created(summarise(raced.get()), false);
                }
                List<Comparison.Item> fresh = notQueued(comparison.items(),
                        items.queuedSnapshots(project, suiteVersionId, candidate, baseline, null));
                int alreadyQueued = (comparison.items() == null ? 0 : comparison.items().size()) - fresh.size();
                if (BatchBuilder.plan(fresh, size, config.controlShare(), random).items().isEmpty()) {
                    throw new ConflictException("nothing to review for this pair on suite version " + suiteVersionId
                            + ": no changed or control outputs" + (alreadyQueued > 0
                            ? " left (" + alreadyQueued + " already queued by earlier batches)" : ""));
                }
                return new Created(persist(source, comparison.withItems(fresh), size, k, rule, null), true);
            });
        } catch (ConflictException e) {
            throw e;
        } catch (RuntimeException e) {
            Optional<ReviewBatch> raced = QuarkusTransaction.requiringNew()
                    .call(() -> batches.findOpenByPair(project, suiteVersionId, candidate, baseline));
            if (raced.isPresent()) {
                return new Created(QuarkusTransaction.requiringNew().call(() -> summarise(raced.get())), false);
            }
            throw e;
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Summary get(Caller caller, UUID batchId) {
        return batches.findByIdOptional(batchId)
                .filter(b -> caller.canRead(b.project, b.status))
                .map(this::summarise)
                .orElseThrow(() -> new NotFoundException("review batch not found"));
    }

    /** Closes the batch: no more tasks, votes refused (409). Closing a closed batch changes nothing. */
    @Transactional
    public Summary close(Caller caller, UUID batchId) {
        ReviewBatch batch = batches.findByIdOptional(batchId, LockModeType.PESSIMISTIC_WRITE)
                .filter(b -> caller.canSee(b.project))
                .orElseThrow(() -> new NotFoundException("review batch not found"));
        if (ReviewBatch.OPEN.equals(batch.status)) {
            batch.status = ReviewBatch.CLOSED;
            batch.closedAt = Instant.now();
            LOG.infof("review batch %s closed by %s", batch.id, caller.name());
        }
        return summarise(batch);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Summary> list(Caller caller, String project) {
        if (project != null && !caller.canSee(project)) {
            return List.of();
        }
        List<ReviewBatch> found = project != null ? batches.listByProject(project) : batches.listAllOrdered();
        return found.stream().filter(b -> caller.canRead(b.project, b.status)).map(this::summarise).toList();
    }

    /**
     * Whether an open batch of the caller's projects covers the probe run: built from it, or sharing a target with it
     * on the same suite version (then the probe run's outputs hold texts of that batch's items). The probe run's
     * suite version and targets come from probe-runner; a probe run it does not know is covered only by its own batch.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean openBatchCovers(Caller caller, UUID probeRunId) {
        List<ReviewBatch> open = openBatches(caller);
        if (open.isEmpty()) {
            return false;
        }
        if (open.stream().anyMatch(b -> probeRunId.equals(b.probeRunId))) {
            return true;
        }
        return probeRunner.probeRun(probeRunId)
                .map(run -> open.stream().anyMatch(b -> sharesTarget(b, run.suiteVersionId(),
                        run.targets() == null ? List.of() : run.targets().stream()
                                .map(t -> new Target(t.endpoint(), t.model())).toList())))
                .orElse(false);
    }

    /** Whether an open batch of the caller's projects shares a target with this pair on this suite version. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean openBatchCovers(Caller caller, UUID suiteVersionId, Target candidate, Target baseline) {
        return openBatches(caller).stream().anyMatch(b -> sharesTarget(b, suiteVersionId, List.of(candidate, baseline)));
    }

    private List<ReviewBatch> openBatches(Caller caller) {
        if (caller.seesAll()) {
            return batches.listOpen();
        }
        return caller.projects().isEmpty() ? List.of() : batches.listOpenIn(caller.projects());
    }

    /** Same suite version (unknown counts as the same) and at least one target in common. */
    static boolean sharesTarget(ReviewBatch batch, UUID suiteVersionId, List<Target> targets) {
        if (suiteVersionId != null && batch.suiteVersionId != null && !suiteVersionId.equals(batch.suiteVersionId)) {
            return false;
        }
        Target candidate = new Target(batch.candidateEndpoint, batch.candidateModel);
        Target baseline = new Target(batch.baselineEndpoint, batch.baselineModel);
        return targets.stream().anyMatch(t -> t != null && (t.equals(candidate) || t.equals(baseline)));
    }

    /** The comparison items whose (probe, candidate text, baseline text) no earlier batch of the pair queued. */
    static List<Comparison.Item> notQueued(List<Comparison.Item> offered, Set<List<String>> queued) {
        if (offered == null) {
            return List.of();
        }
        return offered.stream()
                .filter(i -> i == null || i.candidate() == null || i.baseline() == null
                        || !queued.contains(Arrays.asList(i.probeId(), i.candidate().text(), i.baseline().text())))
                .toList();
    }

    /** The request's stopping rule, else the project's default. */
    private Stopping.Rule ruleOr(String project, Stopping.Rule given) {
        if (given != null) {
            return given;
        }
        ReviewSettings wanted = settings.settings(project);
        return new Stopping.Rule(wanted.stopWhenDecided(), wanted.maxVotes());
    }

    private Summary persist(Source source, Comparison comparison, Integer size, int reviewsPerItem,
                            Stopping.Rule stopping, UUID eventId) {
        UUID suiteVersionId = source.suiteVersionId() != null ? source.suiteVersionId() : comparison.suiteVersionId();
        List<Comparison.Item> offered = comparison.items();
        if (source.probeRunId() != null && suiteVersionId != null) {
            // queue state is per run: leaves out only what a batch of the same run (and pair) already queued, so a
            // second run with the same model names still gets its batch; the lock serialises such batches
            batches.lockPair(source.project(), suiteVersionId, source.candidate(), source.baseline());
            offered = notQueued(offered, items.queuedSnapshots(source.project(), suiteVersionId, source.candidate(),
                    source.baseline(), source.runId()));
        }
        BatchBuilder.Plan plan = BatchBuilder.plan(offered, size, config.controlShare(), random);
        ReviewBatch batch = newBatch(source, suiteVersionId, reviewsPerItem, stopping);
        batches.persist(batch);
        persistItems(batch, plan);
        if (eventId != null) {
            ProcessedEvent done = new ProcessedEvent();
            done.eventId = eventId;
            done.processedAt = Instant.now();
            processed.persist(done);
        }
        outbox.append(EventTypes.REVIEW_BATCH_OPENED, batch.project, openedFields(batch, plan.items().size()));
        batches.flush();
        String from = batch.probeRunId != null ? "probe run " + batch.probeRunId + " against " + batch.against
                : "suite version " + batch.suiteVersionId + " " + batch.candidateEndpoint + "/" + batch.candidateModel
                + " vs " + batch.baselineEndpoint + "/" + batch.baselineModel;
        LOG.infof("review batch %s for %s: %d changed, %d controls, %d identical skipped, %d failed skipped",
                batch.id, from, plan.changed(), plan.controls(), plan.skippedIdentical(), plan.skippedErrors());
        return new Summary(batch, plan.items().size(), plan.controls());
    }

    /** The open batch's row, not yet persisted. */
    private static ReviewBatch newBatch(Source source, UUID suiteVersionId, int reviewsPerItem, Stopping.Rule stopping) {
        ReviewBatch batch = new ReviewBatch();
        batch.id = UUID.randomUUID();
        batch.project = source.project();
        batch.probeRunId = source.probeRunId();
        batch.runId = source.runId();
        batch.checkpointId = source.checkpointId();
        batch.step = source.step();
        batch.suiteVersionId = suiteVersionId;
        batch.candidateEndpoint = source.candidate().endpoint();
        batch.candidateModel = source.candidate().model();
        batch.baselineEndpoint = source.baseline().endpoint();
        batch.baselineModel = source.baseline().model();
        batch.reviewsPerItem = reviewsPerItem;
        batch.against = source.against();
        batch.baselineProbeRunId = source.baselineProbeRunId();
        batch.baselineCheckpointId = source.baselineCheckpointId();
        batch.baselineStep = source.baselineStep();
        batch.stopWhenDecided = stopping != null && stopping.whenDecided();
        batch.maxVotes = stopping == null ? null : stopping.maxVotes();
        batch.status = ReviewBatch.OPEN;
        batch.createdAt = Instant.now();
        return batch;
    }

    private void persistItems(ReviewBatch batch, BatchBuilder.Plan plan) {
        for (BatchBuilder.PlannedItem planned : plan.items()) {
            ReviewItem item = new ReviewItem();
            item.id = UUID.randomUUID();
            item.batchId = batch.id;
            item.position = planned.position();
            item.probeId = planned.probeId();
            item.probeTags = planned.probeTags();
            item.messages = planned.messages();
            item.textA = planned.textA();
            item.textB = planned.textB();
            item.candidateSide = planned.candidateSide().name();
            item.control = planned.control();
            item.similarity = planned.similarity();
            items.persist(item);
        }
    }

    /** Fields of review-batch.opened: what a notification needs to say which round waits for review. */
    static java.util.Map<String, Object> openedFields(ReviewBatch batch, int items) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("batchId", batch.id.toString());
        fields.put("probeRunId", str(batch.probeRunId));
        fields.put("runId", str(batch.runId));
        fields.put("checkpointId", str(batch.checkpointId));
        fields.put("step", batch.step);
        fields.put("suiteVersionId", str(batch.suiteVersionId));
        fields.put("against", batch.against);
        fields.put("baselineStep", batch.baselineStep);
        fields.put("candidate", java.util.Map.of("endpoint", batch.candidateEndpoint, "model", batch.candidateModel));
        fields.put("baseline", java.util.Map.of("endpoint", batch.baselineEndpoint, "model", batch.baselineModel));
        fields.put("items", items);
        return fields;
    }

    private static String str(UUID id) {
        return id == null ? null : id.toString();
    }

    private void markProcessed(UUID eventId) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (processed.findByIdOptional(eventId).isEmpty()) {
                ProcessedEvent done = new ProcessedEvent();
                done.eventId = eventId;
                done.processedAt = Instant.now();
                processed.persist(done);
            }
        });
    }

    private Summary summarise(ReviewBatch batch) {
        return new Summary(batch, items.countByBatch(batch.id), items.countControls(batch.id),
                stops.stopsOf(List.of(batch.id)).get(batch.id));
    }
}
