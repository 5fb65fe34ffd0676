package dev.lookout.proberunner.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.entity.ProbeOutput;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OutputRepository implements PanacheRepositoryBase<ProbeOutput, UUID> {

    public List<ProbeOutput> listByRun(UUID probeRunId) {
        return list("probeRunId = ?1 order by probeId, targetIndex, sample", probeRunId);
    }

    /** Finished answers of earlier completed runs of the same suite version, target and params (newest first). */
    @SuppressWarnings("unchecked")
    public List<ProbeOutput> findReusable(UUID suiteVersionId, UUID endpointId, String model, String paramsKey,
            int samples) {
        return getEntityManager().createNativeQuery("""
                select distinct on (o.probe_id, o.sample) o.* from outputs o
                join probe_runs r on r.id = o.probe_run_id
                where r.suite_version_id = :sv and r.status = 'completed' and o.endpoint_id = :e
                  and o.model = :m and o.params_key = :pk and o.status = 'done' and o.sample < :samples
                order by o.probe_id, o.sample, o.completed_at desc
                """, ProbeOutput.class)
                .setParameter("sv", suiteVersionId).setParameter("e", endpointId).setParameter("m", model)
                .setParameter("pk", paramsKey).setParameter("samples", samples).getResultList();
    }

    /** Newest finished outputs for one target of a suite version, from completed runs (sample 0). */
    @SuppressWarnings("unchecked")
    public List<ProbeOutput> latestForTarget(UUID suiteVersionId, String project, String endpointName, String model) {
        return getEntityManager().createNativeQuery("""
                select distinct on (o.probe_id) o.* from outputs o
                join probe_runs r on r.id = o.probe_run_id
                where r.suite_version_id = :sv and r.project = :p and r.status = 'completed'
                  and o.endpoint_name = :e and o.model = :m and o.sample = 0 and o.status in ('done', 'error')
                order by o.probe_id, o.completed_at desc
                """, ProbeOutput.class)
                .setParameter("sv", suiteVersionId).setParameter("p", project).setParameter("e", endpointName)
                .setParameter("m", model).getResultList();
    }
}
