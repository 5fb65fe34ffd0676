package dev.lookout.proberunner.repository;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The SQL of a probe run's LoRA adapter states (service/AdapterLifecycle); callers hold the transaction. */
@ApplicationScoped
public class AdapterStateRepository {

    private final EntityManager em;

    public AdapterStateRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Takes the run's load for this attempt: true when the run is still queued and loading and no load began, or the
     * last one began longer than {@code stale} ago (its instance died). At most one taker per attempt.
     */
    public boolean claimLoad(UUID probeRunId, Duration stale) {
        return em.createNativeQuery("""
                update probe_runs set adapter_load_started_at = now()
                where id = :id and adapter_state = 'loading' and status = 'queued'
                  and (adapter_load_started_at is null
                       or adapter_load_started_at < now() - make_interval(secs => :stale))
                """).setParameter("id", probeRunId).setParameter("stale", (double) stale.toSeconds())
                .executeUpdate() == 1;
    }

    /** Runs still loading whose load began (or, never begun, whose run was created) longer than {@code stale} ago. */
    @SuppressWarnings("unchecked")
    public List<UUID> staleLoads(Duration stale, int limit) {
        return em.createNativeQuery("""
                select id from probe_runs
                where adapter_state = 'loading' and status = 'queued'
                  and coalesce(adapter_load_started_at, created_at) < now() - make_interval(secs => :stale)
                order by created_at limit :limit
                """).setParameter("stale", (double) stale.toSeconds()).setParameter("limit", limit).getResultList();
    }

    /** The run's pending outputs, in the order they were created (target, probe, sample). */
    @SuppressWarnings("unchecked")
    public List<UUID> pendingOutputs(UUID probeRunId) {
        return em.createNativeQuery("""
                select id from outputs where probe_run_id = :id and status = 'pending'
                order by target_index, probe_id, sample
                """).setParameter("id", probeRunId).getResultList();
    }

    /** Marks the run's never-asked outputs cancelled (the run failed before its calls were queued). */
    public int cancelPending(UUID probeRunId) {
        return em.createNativeQuery("update outputs set status = 'cancelled' where probe_run_id = :id and status = 'pending'")
                .setParameter("id", probeRunId).executeUpdate();
    }

    /** Whether another run still open needs the adapter {@code name} on the endpoint (then it stays loaded). */
    public boolean neededByAnotherRun(UUID probeRunId, UUID endpointId, String name) {
        String target = new JsonArray().add(new JsonObject().put("endpointId", endpointId.toString()).put("model", name))
                .encode();
        Number n = (Number) em.createNativeQuery("""
                select count(*) from probe_runs
                where id <> :id and status in ('queued', 'running') and adapter_state in ('loading', 'loaded')
                  and targets @> cast(:t as jsonb)
                """).setParameter("id", probeRunId).setParameter("t", target).getSingleResult();
        return n.longValue() > 0;
    }

    /** loaded → unloaded (once every adapter of the run that was to be unloaded is). */
    public void markUnloaded(UUID probeRunId) {
        em.createNativeQuery("update probe_runs set adapter_state = 'unloaded' where id = :id and adapter_state = 'loaded'")
                .setParameter("id", probeRunId).executeUpdate();
    }
}
