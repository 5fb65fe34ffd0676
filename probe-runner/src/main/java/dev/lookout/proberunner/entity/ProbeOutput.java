package dev.lookout.proberunner.entity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.lookout.proberunner.domain.CheckResult;
import dev.lookout.proberunner.domain.Turn;

/** One answer (probe run, probe, target, sample), pre-created as pending when the run starts. */
@Entity
@Table(name = "outputs")
public class ProbeOutput {
    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;
    @Column(name = "probe_run_id")
    public UUID probeRunId;
    @Column(name = "probe_id")
    public String probeId;
    @Column(name = "target_index")
    public int targetIndex;
    @Column(name = "endpoint_id")
    public UUID endpointId;
    @Column(name = "endpoint_name")
    public String endpointName;
    public String model;
    public int sample;
    @Column(name = "params_sent")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> paramsSent;
    @Column(name = "params_key")
    public String paramsKey;
    public String status;
    public String text;
    public String reasoning;
    @Column(name = "finish_reason")
    public String finishReason;
    @Column(name = "prompt_tokens")
    public Integer promptTokens;
    @Column(name = "completion_tokens")
    public Integer completionTokens;
    @Column(name = "latency_ms")
    public Long latencyMs;
    @Column(name = "server_model")
    public String serverModel;
    public int attempts;
    public String error;
    /** [{type, pass}] aligned with the probe's checks (pass null = not evaluated). */
    @Column(name = "check_results")
    @JdbcTypeCode(SqlTypes.JSON)
    public List<CheckResult> checkResults;
    /** Earlier turns of a multi-turn probe [{text, reasoning, finishReason}]; {@link #text} is the final turn. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Turn> turns;
    /** The /v1/models {@code root} of the model when the run started (the weights' path), when reported. */
    @Column(name = "weights_root")
    public String weightsRoot;
    /** The completion's {@code system_fingerprint}, when reported. */
    @Column(name = "system_fingerprint")
    public String systemFingerprint;
    @Column(name = "reused_from")
    public UUID reusedFrom;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "completed_at")
    public Instant completedAt;
}
