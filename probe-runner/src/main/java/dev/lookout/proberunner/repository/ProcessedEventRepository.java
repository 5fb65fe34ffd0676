package dev.lookout.proberunner.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Table {@code processed_event}: the ids of the consumed events already handled (consumers are idempotent on them). */
@ApplicationScoped
public class ProcessedEventRepository {

    private final EntityManager em;

    public ProcessedEventRepository(EntityManager em) {
        this.em = em;
    }

    /** Records the event as handled in the current transaction; false when it was already. */
    public boolean markFirstSeen(UUID eventId) {
        return em.createNativeQuery("insert into processed_event (event_id) values (:id) on conflict do nothing")
                .setParameter("id", eventId).executeUpdate() == 1;
    }
}
