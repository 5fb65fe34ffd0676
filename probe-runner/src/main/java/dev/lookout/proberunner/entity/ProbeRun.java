package dev.lookout.proberunner.entity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.lookout.proberunner.domain.RunTarget;

@Entity
@Table(name = "probe_runs")
public class ProbeRun {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";

    @Id
    public UUID id;
    public String project;
    @Column(name = "run_id")
    public UUID runId;
    @Column(name = "checkpoint_id")
    public UUID checkpointId;
    public Long step;
    @Column(name = "suite_version_id")
    public UUID suiteVersionId;
    public String status;
    @Column(name = "failure_reason")
    public String failureReason;
    /** In order: target 0 is the candidate, target 1 the baseline. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<RunTarget> targets = new ArrayList<>();
    public int samples;
    public int total;
    /** Model calls this run queued when it started (total minus reused answers): what the quotas count. */
    public int calls;
    @Column(name = "done_count")
    public int doneCount;
    @Column(name = "error_count")
    public int errorCount;
    @Column(name = "cmp_total")
    public Integer cmpTotal;
    @Column(name = "cmp_changed")
    public Integer cmpChanged;
    @Column(name = "cmp_identical")
    public Integer cmpIdentical;
    /** Answers copied from earlier runs instead of asked: target 0 (candidate) and target 1 (baseline). */
    @Column(name = "reused_candidate")
    public int reusedCandidate;
    @Column(name = "reused_baseline")
    public int reusedBaseline;
    @Column(name = "last_progress_at")
    public Instant lastProgressAt;
    @Column(name = "created_at")
    public Instant createdAt;
    /**
     * Null: no target is a LoRA adapter the runner loads. Else loading (calls not queued yet), loaded, failed or
     * unloaded ({@code AdapterLifecycle}).
     */
    @Column(name = "adapter_state")
    public String adapterState;
    /** When the current load attempt began (null before the first). */
    @Column(name = "adapter_load_started_at")
    public Instant adapterLoadStartedAt;
    @Column(name = "completed_at")
    public Instant completedAt;
    /**
     * Sentences a reader should know that did not stop the run (a target model its endpoint does not
     * list). Written
     * only by SQL that appends ({@code ModelListCheck}), never by a flush of this entity, so a concurrent update of
     * the run cannot drop one; null on a run created in the current transaction.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(insertable = false, updatable = false)
    public List<String> warnings;
}
