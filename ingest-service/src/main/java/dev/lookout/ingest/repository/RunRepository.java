package dev.lookout.ingest.repository;

import dev.lookout.ingest.entity.Run;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, UUID> {

    public boolean existsByProjectAndName(String project, String name) {
        return count("project = ?1 and name = ?2", project, name) > 0;
    }

    public List<Run> listInProjects(Collection<String> projects) {
        if (projects.isEmpty()) {
            return List.of();
        }
        return list("project in ?1", Sort.by("createdAt").and("id"), projects);
    }

    public List<Run> listAllSorted() {
        return listAll(Sort.by("createdAt").and("id"));
    }

    /**
     * Up to limit runs after (createdAt, id) in that order (keyset paging), of the given projects or, when projects is
     * null, of all projects.
     */
    public List<Run> page(Collection<String> projects, Instant afterCreated, UUID afterId, int limit) {
        return page(projects, null, afterCreated, afterId, limit);
    }

    /** As above, only runs named exactly {@code name} when it is not null. */
    public List<Run> page(Collection<String> projects, String name, Instant afterCreated, UUID afterId, int limit) {
        if (projects != null && projects.isEmpty()) {
            return List.of();
        }
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (projects != null) {
            q.append(" and project in :projects");
            params.put("projects", projects);
        }
        if (name != null) {
            q.append(" and name = :name");
            params.put("name", name);
        }
        if (afterCreated != null) {
            q.append(" and (createdAt > :created or (createdAt = :created and id > :id))");
            params.put("created", afterCreated);
            params.put("id", afterId);
        }
        return find(q.toString(), Sort.by("createdAt").and("id"), params).page(0, limit).list();
    }
}
