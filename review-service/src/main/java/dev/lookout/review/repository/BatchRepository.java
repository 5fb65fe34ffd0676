package dev.lookout.review.repository;

import dev.lookout.review.entity.ReviewBatch;
import dev.lookout.review.service.Target;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class BatchRepository implements PanacheRepositoryBase<ReviewBatch, UUID> {

    /** The probe run's batch against its base ("base") or against the previous checkpoint ("previous"). */
    public Optional<ReviewBatch> findByProbeRun(UUID probeRunId, String against) {
        return find("probeRunId = ?1 and against = ?2", probeRunId, against).firstResultOptional();
    }

    /** The open batch (of a probe run or built on demand) of this project, suite version and pair, if any. */
    public Optional<ReviewBatch> findOpenByPair(String project, UUID suiteVersionId, Target candidate, Target baseline) {
        return find("project = ?1 and suiteVersionId = ?2 and candidateEndpoint = ?3 and candidateModel = ?4"
                        + " and baselineEndpoint = ?5 and baselineModel = ?6 and status = ?7",
                Sort.by("createdAt").and("id"), project, suiteVersionId, candidate.endpoint(), candidate.model(),
                baseline.endpoint(), baseline.model(), ReviewBatch.OPEN).firstResultOptional();
    }

    /**
     * Serialises the creation of batches of one project, suite version and pair until the transaction ends, so two
     * concurrent requests cannot both queue the same outputs.
     */
    public void lockPair(String project, UUID suiteVersionId, Target candidate, Target baseline) {
        getEntityManager()
                .createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext(:k))) x")
                .setParameter("k", String.join("\n", "reviews.pair", project, String.valueOf(suiteVersionId),
                        candidate.endpoint(), candidate.model(), baseline.endpoint(), baseline.model()))
                .getSingleResult();
    }

    public List<ReviewBatch> listOpen() {
        return list("status", ReviewBatch.OPEN);
    }

    public List<ReviewBatch> listOpenIn(Collection<String> projects) {
        return list("status = ?1 and project in ?2", ReviewBatch.OPEN, projects);
    }

    public List<ReviewBatch> listByProject(String project) {
        return list("project", Sort.by("createdAt").and("id"), project);
    }

    public List<ReviewBatch> listAllOrdered() {
        return listAll(Sort.by("createdAt").and("id"));
    }

    public List<ReviewBatch> listByRun(UUID runId) {
        return list("runId", Sort.by("step").and("against").and("createdAt"), runId);
    }

    public List<ReviewBatch> listByTargets(String project, String candidateEndpoint, String candidateModel,
                                           String baselineEndpoint, String baselineModel) {
        return list("project = ?1 and candidateEndpoint = ?2 and candidateModel = ?3"
                        + " and baselineEndpoint = ?4 and baselineModel = ?5",
                Sort.by("createdAt"), project, candidateEndpoint, candidateModel, baselineEndpoint, baselineModel);
    }
}
