package dev.lookout.review.repository;

import dev.lookout.review.service.Stopping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stops of batches (table batch_stops). A stop is its own row, written without touching the batch row (votes hold
 * it FOR SHARE); the first stop wins and later ones change nothing.
 */
@ApplicationScoped
public class StopRepository {

    private final EntityManager em;

    public StopRepository(EntityManager em) {
        this.em = em;
    }

    public void stop(UUID batchId, Stopping.Stop stop) {
        em.createNativeQuery("""
                        INSERT INTO reviews.batch_stops (batch_id, reason, at_votes, stopped_at)
                        VALUES (:b, :r, :v, :at) ON CONFLICT (batch_id) DO NOTHING""")
                .setParameter("b", batchId).setParameter("r", stop.reason()).setParameter("v", (int) stop.atVotes())
                .setParameter("at", stop.at()).executeUpdate();
    }

    public Map<UUID, Stopping.Stop> stopsOf(Collection<UUID> batchIds) {
        Map<UUID, Stopping.Stop> found = new HashMap<>();
        if (batchIds.isEmpty()) {
            return found;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT batch_id, reason, at_votes, stopped_at FROM reviews.batch_stops
                         WHERE batch_id IN (:b)""")
                .setParameter("b", batchIds).getResultList();
        for (Object[] r : rows) {
            found.put((UUID) r[0], new Stopping.Stop((String) r[1], ((Number) r[2]).longValue(),
                    AssignmentRepository.instant(r[3])));
        }
        return found;
    }
}
