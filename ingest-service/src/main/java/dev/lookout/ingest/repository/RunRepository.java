package dev.lookout.ingest.repository;

import dev.lookout.ingest.entity.Run;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
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
}
