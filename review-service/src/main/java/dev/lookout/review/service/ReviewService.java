package dev.lookout.review.service;

import dev.lookout.review.config.ReviewConfig;
import dev.lookout.review.entity.Assignment;
import dev.lookout.review.entity.ReviewBatch;
import dev.lookout.review.entity.ReviewItem;
import dev.lookout.review.entity.Vote;
import dev.lookout.review.messaging.VerdictEvents;
import dev.lookout.review.repository.AssignmentRepository;
import dev.lookout.review.repository.BatchRepository;
import dev.lookout.review.repository.ItemRepository;
import dev.lookout.review.repository.VoteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The blind review queue: hands out leased tasks and records votes. */
@ApplicationScoped
@Transactional
public class ReviewService {

    /** A task as the reviewer sees it; the resource exposes only the blind parts. */
    public record Task(UUID taskId, UUID batchId, ReviewItem item, Instant leasedUntil, List<String> rubric,
                       long reviewed, long total) {
    }

    private static final int MAX_ATTEMPTS = 20;
    private static final int ITEM_COUNTS_KEPT = 10_000;

    /** Items per batch; immutable once the batch exists, so counted once per batch instead of once per /next. */
    private final Map<UUID, Long> itemCounts = new ConcurrentHashMap<>();

    private final AssignmentRepository assignments;
    private final ItemRepository items;
    private final BatchRepository batches;
    private final VoteRepository votes;
    private final VerdictEvents verdictEvents;
    private final ReviewConfig config;

    public ReviewService(AssignmentRepository assignments, ItemRepository items, BatchRepository batches,
                         VoteRepository votes, VerdictEvents verdictEvents, ReviewConfig config) {
        this.assignments = assignments;
        this.items = items;
        this.batches = batches;
        this.votes = votes;
        this.verdictEvents = verdictEvents;
        this.config = config;
    }

    /**
     * The caller's open lease in the project if any, else a new lease on the first item the caller was never
     * given and that still needs reviewers; empty when nothing is left.
     */
    public Optional<Task> next(Caller caller, String project) {
        if (!caller.canSee(project)) {
            throw new NotFoundException("project not found");
        }
        assignments.lockReviewer(caller.name());
        Instant now = Instant.now();
        Optional<Assignment> open = assignments.findOpenLease(caller.name(), project, now);
        if (open.isPresent()) {
            return Optional.of(task(open.get(), project));
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<UUID> itemId = assignments.lockNextFreeItem(caller.name(), project, now);
            if (itemId.isEmpty()) {
                return Optional.empty();
            }
            ReviewItem item = items.findById(itemId.get());
            ReviewBatch batch = batches.findById(item.batchId);
            // We hold the item's row lock now; this count runs on a fresh snapshot and sees every committed lease.
            if (assignments.countLiveSlots(item.id, now) < batch.reviewsPerItem) {
                Assignment assignment = new Assignment();
                assignment.id = UUID.randomUUID();
                assignment.itemId = item.id;
                assignment.reviewer = caller.name();
                assignment.createdAt = now;
                assignment.leasedUntil = now.plus(config.lease());
                assignments.persist(assignment);
                assignments.flush();
                return Optional.of(task(assignment, project));
            }
        }
        return Optional.empty();
    }

    /** Records a vote on the caller's own task; a later vote of the same reviewer replaces the earlier one in verdicts. */
    public Vote vote(Caller caller, UUID taskId, Choice choice, List<String> tags, String comment) {
        Assignment assignment = assignments.findByIdOptional(taskId)
                .filter(a -> a.reviewer.equals(caller.name()))
                .orElseThrow(() -> new NotFoundException("task not found"));
        ReviewItem item = items.findById(assignment.itemId);
        // FOR SHARE: votes run side by side, a close (FOR UPDATE) waits for them and they wait for it
        ReviewBatch batch = batches.findById(item.batchId, LockModeType.PESSIMISTIC_READ);
        if (!caller.canSee(batch.project)) {
            throw new NotFoundException("task not found");
        }
        if (!ReviewBatch.OPEN.equals(batch.status)) {
            throw new ConflictException("the batch is closed; its votes can no longer change");
        }
        List<String> rubric = rubric(batch.project);
        List<BadInputException.Where> errors = new ArrayList<>();
        List<String> given = tags == null ? List.of() : tags;
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null || !rubric.contains(given.get(i))) {
                errors.add(new BadInputException.Where("tags[" + i + "]",
                        "'" + given.get(i) + "' is not in the project's rubric"));
            }
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("tags must come from the project's rubric: " + String.join(", ", rubric), errors);
        }
        Instant now = Instant.now();
        Vote vote = new Vote();
        vote.id = UUID.randomUUID();
        vote.itemId = item.id;
        vote.assignmentId = assignment.id;
        vote.reviewer = caller.name();
        vote.choice = choice.name();
        vote.tags = List.copyOf(new LinkedHashSet<>(given));
        vote.comment = comment == null || comment.isBlank() ? null : comment.strip();
        vote.createdAt = now;
        votes.persist(vote);
        boolean firstVote = assignment.votedAt == null;
        if (firstVote) {
            assignment.votedAt = now;
        }
        votes.flush();
        if (firstVote) {
            items.markFilledIfFull(item.id, batch.reviewsPerItem);
        }
        verdictEvents.voted(batch);
        return vote;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> rubric(String project) {
        List<String> own = config.rubric().projects().get(project);
        return own != null && !own.isEmpty() ? own : config.rubric().defaults();
    }

    private Task task(Assignment assignment, String project) {
        ReviewItem item = items.findById(assignment.itemId);
        // a batch's items are all written in its creating transaction and never change afterwards
        long total = itemCounts.computeIfAbsent(item.batchId, items::countByBatch);
        long reviewed = assignments.countVotedInBatch(assignment.reviewer, item.batchId);
        if (itemCounts.size() > ITEM_COUNTS_KEPT) {
            itemCounts.clear();
        }
        return new Task(assignment.id, item.batchId, item, assignment.leasedUntil, rubric(project), reviewed, total);
    }
}
