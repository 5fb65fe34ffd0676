package dev.lookout.proberunner.repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.entity.Suite;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class SuiteRepository implements PanacheRepositoryBase<Suite, UUID> {

    public Optional<Suite> findByName(String project, String name) {
        return find("project = ?1 and name = ?2", project, name).firstResultOptional();
    }

    public List<Suite> listInProjects(Collection<String> projects) {
        return list("project in ?1 order by project, name", projects);
    }

    public List<Suite> listAllOrdered() {
        return list("order by project, name");
    }
}
