package dev.lookout.proberunner.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.entity.SuiteVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class SuiteVersionRepository implements PanacheRepositoryBase<SuiteVersion, UUID> {

    public Optional<SuiteVersion> findLatest(UUID suiteId) {
        return find("suiteId = ?1 order by version desc", suiteId).firstResultOptional();
    }

    public Optional<SuiteVersion> findVersion(UUID suiteId, int version) {
        return find("suiteId = ?1 and version = ?2", suiteId, version).firstResultOptional();
    }
}
