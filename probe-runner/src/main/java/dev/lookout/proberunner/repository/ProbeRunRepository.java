package dev.lookout.proberunner.repository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.entity.ProbeRun;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class ProbeRunRepository implements PanacheRepositoryBase<ProbeRun, UUID> {

    /** projects == null means every project. */
    public List<ProbeRun> search(Collection<String> projects, String project, UUID runId) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (projects != null) {
            q.append(" and project in :projects");
            p = p.and("projects", projects);
        }
        if (project != null) {
            q.append(" and project = :project");
            p = p.and("project", project);
        }
        if (runId != null) {
            q.append(" and runId = :runId");
            p = p.and("runId", runId);
        }
        q.append(" order by createdAt desc");
        return find(q.toString(), p).page(0, 500).list();
    }

    /** Stores a run's comparison summary unless one is stored already. */
    public void storeSummaryIfMissing(UUID probeRunId, int total, int changed, int identical) {
        getEntityManager().createNativeQuery("""
                update probe_runs set cmp_total = :t, cmp_changed = :c, cmp_identical = :i
                where id = :id and cmp_total is null
                """).setParameter("t", total).setParameter("c", changed).setParameter("i", identical)
                .setParameter("id", probeRunId).executeUpdate();
    }

    /**
     * Appends sentences to the run's warnings (JSON array text) in one statement: a concurrent update of the run
     * cannot drop one.
     */
    public void appendWarnings(UUID probeRunId, String warningsJson) {
        getEntityManager().createNativeQuery(
                "update probe_runs set warnings = warnings || cast(:w as jsonb) where id = :id")
                .setParameter("w", warningsJson).setParameter("id", probeRunId).executeUpdate();
    }
}
