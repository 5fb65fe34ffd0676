package dev.lookout.review.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "batches")
public class ReviewBatch {
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final String AGAINST_BASE = "base";
    public static final String AGAINST_PREVIOUS = "previous";
    public static final String AGAINST_TARGETS = "targets";

    @Id
    public UUID id;
    public String project;
    /** null for a batch built on demand from a suite version and a pair of targets. */
    @Column(name = "probe_run_id")
    public UUID probeRunId;
    @Column(name = "run_id")
    public UUID runId;
    @Column(name = "checkpoint_id")
    public UUID checkpointId;
    public Long step;
    @Column(name = "suite_version_id")
    public UUID suiteVersionId;
    @Column(name = "candidate_endpoint")
    public String candidateEndpoint;
    @Column(name = "candidate_model")
    public String candidateModel;
    @Column(name = "baseline_endpoint")
    public String baselineEndpoint;
    @Column(name = "baseline_model")
    public String baselineModel;
    @Column(name = "reviews_per_item")
    public int reviewsPerItem;
    public String status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "closed_at")
    public Instant closedAt;
    /** base: the run's baseline; previous: the previous checkpoint of the run; targets: built on demand by targets. */
    public String against;
    @Column(name = "baseline_probe_run_id")
    public UUID baselineProbeRunId;
    @Column(name = "baseline_checkpoint_id")
    public UUID baselineCheckpointId;
    @Column(name = "baseline_step")
    public Long baselineStep;
    @Column(name = "stop_when_decided")
    public boolean stopWhenDecided;
    @Column(name = "max_votes")
    public Integer maxVotes;
}
