package dev.lookout.proberunner.repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.entity.Endpoint;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class EndpointRepository implements PanacheRepositoryBase<Endpoint, UUID> {

    public Optional<Endpoint> findByName(String project, String name) {
        return find("project = ?1 and name = ?2", project, name).firstResultOptional();
    }

    public List<Endpoint> listInProjects(Collection<String> projects) {
        return list("project in ?1 order by project, name", projects);
    }

    public List<Endpoint> listAllOrdered() {
        return list("order by project, name");
    }
}
