package dev.lookout.ingest.repository;

import dev.lookout.ingest.entity.Checkpoint;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<Checkpoint, UUID> {

    public List<Checkpoint> listByRun(UUID runId) {
        return list("runId", Sort.by("step"), runId);
    }

    public boolean existsAt(UUID runId, long step) {
        return count("runId = ?1 and step = ?2", runId, step) > 0;
    }
}
