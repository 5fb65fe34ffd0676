package dev.lookout.review.repository;

import dev.lookout.review.entity.ReviewBatch;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class BatchRepository implements PanacheRepositoryBase<ReviewBatch, UUID> {

    public Optional<ReviewBatch> findByProbeRun(UUID probeRunId) {
        return find("probeRunId", probeRunId).firstResultOptional();
    }

    public List<ReviewBatch> listByProject(String project) {
        return list("project", Sort.by("createdAt").and("id"), project);
    }

    public List<ReviewBatch> listAllOrdered() {
        return listAll(Sort.by("createdAt").and("id"));
    }

    public List<ReviewBatch> listByRun(UUID runId) {
        return list("runId", Sort.by("step").and("createdAt"), runId);
    }

    public List<ReviewBatch> listByTargets(String project, String candidateEndpoint, String candidateModel,
                                           String baselineEndpoint, String baselineModel) {
        return list("project = ?1 and candidateEndpoint = ?2 and candidateModel = ?3"
                        + " and baselineEndpoint = ?4 and baselineModel = ?5",
                Sort.by("createdAt"), project, candidateEndpoint, candidateModel, baselineEndpoint, baselineModel);
    }
}
