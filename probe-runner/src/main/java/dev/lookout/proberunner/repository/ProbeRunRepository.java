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
}
