package dev.lookout.review.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.review.entity.Vote;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class VoteRepository implements PanacheRepositoryBase<Vote, UUID> {

    private final ObjectMapper json;

    public VoteRepository(ObjectMapper json) {
        this.json = json;
    }

    /** The vote that counts for one (item, reviewer) pair, with the item's stored candidate side. */
    public record CountedVote(UUID itemId, String reviewer, String choice, String tagsJson, String candidateSide,
                              UUID batchId, String probeTagsJson) {
    }

    /**
     * Writes a vote in one statement, under the task's locks ({@code AssignmentRepository#lockForVote}): the vote row,
     * the batch's verdict_dirty mark and, on the task's first vote, the assignment's {@code voted_at} and the item's
     * {@code filled} flag once votes hold all k slots (the count of the other reviewers' votes runs on this
     * statement's snapshot, taken after the item lock, so of two first votes the later one sees the earlier).
     */
    public void record(Vote vote, UUID batchId, boolean firstVote, int reviewsPerItem) {
        String tags;
        try {
            tags = json.writeValueAsString(vote.tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("vote tags are not serialisable", e);
        }
        String insert = """
                WITH v AS (INSERT INTO reviews.votes (id, item_id, assignment_id, reviewer, choice, tags, comment,
                                                     created_at)
                           VALUES (:id, :item, :task, :reviewer, :choice, CAST(:tags AS jsonb), CAST(:comment AS text),
                                   :now)
                           RETURNING id),
                     d AS (INSERT INTO reviews.verdict_dirty (batch_id) VALUES (:batch) RETURNING batch_id)
                """;
        var query = getEntityManager().createNativeQuery(firstVote ? insert + """
                        , a AS (UPDATE reviews.assignments SET voted_at = :now WHERE id = :task AND voted_at IS NULL
                                RETURNING id)
                        UPDATE reviews.items SET filled = true
                         WHERE id = :item AND NOT filled
                           AND (SELECT count(*) FROM reviews.assignments x
                                 WHERE x.item_id = :item AND x.id <> :task AND x.voted_at IS NOT NULL) + 1 >= :k"""
                        : insert + "SELECT count(*) FROM v, d")
                .setParameter("id", vote.id).setParameter("item", vote.itemId).setParameter("task", vote.assignmentId)
                .setParameter("reviewer", vote.reviewer).setParameter("choice", vote.choice)
                .setParameter("tags", tags).setParameter("comment", vote.comment).setParameter("now", vote.createdAt)
                .setParameter("batch", batchId);
        if (firstVote) {
            query.setParameter("k", reviewsPerItem).executeUpdate();
        } else {
            query.getSingleResult();
        }
    }

    /** The latest vote of a reviewer on an item (withdrawn or not); votes_item_reviewer_idx. */
    public Optional<Vote> latestOf(UUID itemId, String reviewer) {
        return find("itemId = ?1 and reviewer = ?2", Sort.descending("seq"), itemId, reviewer).firstResultOptional();
    }

    /** Counted votes: per (item, reviewer) the latest vote, left out when it was withdrawn. */
    public List<CountedVote> latestVotes(Collection<UUID> batchIds) {
        if (batchIds.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        SELECT item_id, reviewer, choice, tags, candidate_side, batch_id, probe_tags FROM (
                            SELECT DISTINCT ON (v.item_id, v.reviewer)
                                   v.item_id, v.reviewer, v.choice, CAST(v.tags AS text) AS tags, i.candidate_side,
                                   i.batch_id, v.withdrawn_at, CAST(i.probe_tags AS text) AS probe_tags
                              FROM reviews.votes v JOIN reviews.items i ON i.id = v.item_id
                             WHERE i.batch_id IN (:batches)
                             ORDER BY v.item_id, v.reviewer, v.seq DESC) latest
                         WHERE withdrawn_at IS NULL""")
                .setParameter("batches", batchIds)
                .getResultList();
        return rows.stream()
                .map(r -> new CountedVote((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                        (UUID) r[5], (String) r[6]))
                .toList();
    }
}
