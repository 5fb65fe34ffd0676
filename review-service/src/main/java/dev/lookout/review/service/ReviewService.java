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
import dev.lookout.review.repository.StopRepository;
import dev.lookout.review.repository.VoteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blind review queue: hands out leased tasks and records votes.
 *
 * <p>Both hot calls are a handful of statements in one transaction. /next: the reviewer's advisory lock, their open
 * lease, the pick (locks the item, returns it) and the claim (re-counts the item's live slots on a fresh snapshot,
 * inserts the lease and returns the caller's progress in one statement). A vote: one statement that locks the task's item and
 * batch and reads what the checks need, and one that writes the vote, the assignment's first vote, the item's
 * {@code filled} flag and the batch's verdict_dirty mark together. verdict.updated is computed later by
 * {@link VerdictEvents}, never while the reviewer waits.
 */
@ApplicationScoped
@Transactional
public class ReviewService {

    /** A task as the reviewer sees it; the resource exposes only the blind parts. */
    public record Task(UUID taskId, UUID batchId, ReviewItem item, Instant leasedUntil, List<RubricTag> rubric,
                       long reviewed, long total, Vote previousVote) {
    }

    private static final int MAX_ATTEMPTS = 20;
    private static final int BATCH_FACTS_KEPT = 10_000;

    /** Items per batch and reviews per item; both fixed once the batch exists, so read once per batch. */
    private final Map<UUID, Long> itemCounts = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> reviewsPerItem = new ConcurrentHashMap<>();

    private final AssignmentRepository assignments;
    private final ItemRepository items;
    private final BatchRepository batches;
    private final VoteRepository votes;
    private final VerdictEvents verdictEvents;
    private final ReviewConfig config;
    private final ProjectSettingsService settings;
    private final VerdictService verdicts;
    private final StopRepository stops;

    public ReviewService(AssignmentRepository assignments, ItemRepository items, BatchRepository batches,
                         VoteRepository votes, VerdictEvents verdictEvents, ReviewConfig config,
                         ProjectSettingsService settings, VerdictService verdicts, StopRepository stops) {
        this.assignments = assignments;
        this.items = items;
        this.batches = batches;
        this.votes = votes;
        this.verdictEvents = verdictEvents;
        this.config = config;
        this.settings = settings;
        this.verdicts = verdicts;
        this.stops = stops;
    }

    /**
     * The caller's open lease in the project if any, else a new lease on the first item the caller was never
     * given and that still needs reviewers; empty when nothing is left. Newest work first (see
     * {@code ItemRepository#lockNextFree}); {@code runId} pins the queue to one run.
     */
    public Optional<Task> next(Caller caller, String project, UUID runId) {
        if (!caller.canSee(project)) {
            throw new NotFoundException("project not found");
        }
        assignments.lockReviewer(caller.name());
        Instant now = Instant.now();
        Optional<Assignment> open = assignments.findOpenLease(caller.name(), project, runId, now);
        if (open.isPresent()) {
            // a task re-leased by a withdrawal shows the withdrawn vote again (e.g. after a page reload)
            return Optional.of(task(open.get(), items.findById(open.get().itemId), project,
                    votes.latestOf(open.get().itemId, caller.name()).filter(v -> v.withdrawnAt != null).orElse(null)));
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<ReviewItem> picked = items.lockNextFree(caller.name(), project, runId, now);
            if (picked.isEmpty()) {
                return Optional.empty();
            }
            ReviewItem item = picked.get();
            Assignment assignment = new Assignment();
            assignment.id = UUID.randomUUID();
            assignment.itemId = item.id;
            assignment.reviewer = caller.name();
            assignment.createdAt = now;
            assignment.leasedUntil = now.plus(config.lease());
            // We hold the item's row lock now; the claim re-counts on a fresh snapshot and sees every committed lease.
            OptionalLong reviewed = assignments.claim(assignment, item.batchId, reviewsPerItem(item.batchId));
            if (reviewed.isPresent()) {
                return Optional.of(task(assignment, item, project, null, reviewed.getAsLong()));
            }
        }
        return Optional.empty();
    }

    /**
     * Records a vote on the caller's own task; a later vote of the same reviewer replaces the earlier one in verdicts.
     * Late votes: a caller whose lease expired before their first vote (or before voting again after a withdrawal)
     * still gets the vote counted when the item has a free slot; when the slot went to other reviewers in the
     * meantime (k slots held by votes or live leases of others) the vote is refused with 409, so an item never
     * counts more than k reviewers. Decided under the item's row lock, which /next's pick also takes.
     */
    public Vote vote(Caller caller, UUID taskId, Choice choice, List<String> tags, String comment) {
        AssignmentRepository.Locked task = lockOwnTask(caller, taskId, "the batch is closed; its votes can no longer change");
        List<String> given = settings.resolveVoteTags(task.project(), tags == null ? List.of() : tags);
        if (task.skippedAt() != null) {
            throw new ConflictException("you skipped this task; it went to another reviewer. Ask for the next task");
        }
        Instant now = Instant.now();
        boolean firstVote = task.votedAt() == null;
        if (firstVote && !task.leasedUntil().isAfter(now)
                && assignments.countLiveSlotsOfOthers(task.itemId(), taskId, now) >= task.reviewsPerItem()) {
            throw new ConflictException("lease expired and the item was reviewed by others: your vote on this task"
                    + " is not counted; ask for the next task");
        }
        Vote vote = new Vote();
        vote.id = UUID.randomUUID();
        vote.itemId = task.itemId();
        vote.assignmentId = taskId;
        vote.reviewer = caller.name();
        vote.choice = choice.name();
        vote.tags = List.copyOf(new LinkedHashSet<>(given));
        vote.comment = comment == null || comment.isBlank() ? null : comment.strip();
        vote.createdAt = now;
        votes.record(vote, task.batchId(), firstVote, task.reviewsPerItem());
        Stopping.Rule rule = new Stopping.Rule(task.stopWhenDecided(), task.maxVotes());
        if (rule.any()) {
            // sees this vote (same transaction); two concurrent votes may both miss the stop, the verdict flush
            // checks again right after
            Stopping.check(rule, verdicts.tally(List.of(task.batchId())), now).ifPresent(stop -> stops.stop(task.batchId(), stop));
        }
        return vote;
    }

    /**
     * Skips the caller's task: its lease ends now, so the slot goes to another reviewer, and the item never comes
     * back to this caller (one assignment per item and reviewer). 404 when not the caller's task; 409 when the batch
     * is closed or the caller already voted on it (withdraw first).
     */
    public void skip(Caller caller, UUID taskId) {
        AssignmentRepository.Locked locked = lockOwnTask(caller, taskId, "the batch is closed");
        if (locked.votedAt() != null) {
            throw new ConflictException("you voted on this task; withdraw the vote before skipping it");
        }
        if (locked.skippedAt() != null) {
            return;
        }
        Assignment assignment = assignments.findById(taskId);
        Instant now = Instant.now();
        assignment.skippedAt = now;
        assignment.leasedUntil = now;
    }

    /**
     * Undo: marks the caller's current (latest) vote on the task withdrawn — the row stays in the history, verdicts,
     * exports and agreement no longer count it — and leases the item to the caller again for a new vote.
     * 404 when the task is not the caller's; 409 when the batch is closed or there is no vote to withdraw.
     */
    public Task withdraw(Caller caller, UUID taskId) {
        AssignmentRepository.Locked locked = lockOwnTask(caller, taskId,
                "the batch is closed; its votes can no longer be withdrawn");
        Assignment assignment = assignments.findById(taskId);
        Vote current = votes.latestOf(locked.itemId(), caller.name()).orElse(null);
        if (assignment.votedAt == null || current == null || current.withdrawnAt != null) {
            throw new ConflictException("you have no vote on this task to withdraw");
        }
        Instant now = Instant.now();
        current.withdrawnAt = now;
        assignment.votedAt = null;
        assignment.leasedUntil = now.plus(config.lease());
        votes.flush();
        items.markUnfilled(locked.itemId());
        verdictEvents.changed(locked.batchId());
        return task(assignment, items.findById(locked.itemId()), locked.project(), current);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RubricTag> rubric(String project) {
        return settings.rubric(project);
    }

    /**
     * The caller's task with its item and batch locked (item: against /next's pick and other first votes; batch,
     * shared: votes run side by side, a close waits for them and they for it). 404 unless it is the caller's task
     * in a project they see; 409 when the batch is closed.
     */
    private AssignmentRepository.Locked lockOwnTask(Caller caller, UUID taskId, String closedMessage) {
        AssignmentRepository.Locked task = assignments.lockForVote(taskId, caller.name())
                .filter(t -> caller.canSee(t.project()))
                .orElseThrow(() -> new NotFoundException("task not found"));
        if (!ReviewBatch.OPEN.equals(task.status())) {
            throw new ConflictException(closedMessage);
        }
        return task;
    }

    private int reviewsPerItem(UUID batchId) {
        return reviewsPerItem.computeIfAbsent(batchId, id -> batches.findById(id).reviewsPerItem);
    }

    private Task task(Assignment assignment, ReviewItem item, String project, Vote previousVote) {
        return task(assignment, item, project, previousVote,
                assignments.countVotedInBatch(assignment.reviewer, item.batchId));
    }

    private Task task(Assignment assignment, ReviewItem item, String project, Vote previousVote, long reviewed) {
        long total = itemCounts.computeIfAbsent(item.batchId, items::countByBatch);
        if (itemCounts.size() > BATCH_FACTS_KEPT) {
            itemCounts.clear();
        }
        if (reviewsPerItem.size() > BATCH_FACTS_KEPT) {
            reviewsPerItem.clear();
        }
        return new Task(assignment.id, item.batchId, item, assignment.leasedUntil, rubric(project), reviewed, total,
                previousVote);
    }
}
