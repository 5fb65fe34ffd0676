package dev.lookout.review.repository;

import dev.lookout.review.entity.Vote;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class VoteRepository implements PanacheRepositoryBase<Vote, UUID> {

    /** The vote that counts for one (item, reviewer) pair, with the item's stored candidate side. */
    public record CountedVote(UUID itemId, String reviewer, String choice, String tagsJson, String candidateSide,
                              UUID batchId) {
    }

    public List<CountedVote> latestVotes(Collection<UUID> batchIds) {
        if (batchIds.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        SELECT DISTINCT ON (v.item_id, v.reviewer)
                               v.item_id, v.reviewer, v.choice, CAST(v.tags AS text), i.candidate_side, i.batch_id
                          FROM reviews.votes v JOIN reviews.items i ON i.id = v.item_id
                         WHERE i.batch_id IN (:batches)
                         ORDER BY v.item_id, v.reviewer, v.seq DESC""")
                .setParameter("batches", batchIds)
                .getResultList();
        return rows.stream()
                .map(r -> new CountedVote((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                        (UUID) r[5]))
                .toList();
    }
}
