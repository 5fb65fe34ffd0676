package dev.lookout.ingest.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A saved checkpoint (run, step) and the target that serves it. */
@Entity
@Table(name = "checkpoints")
public class Checkpoint {

    @Id
    public UUID id;

    @Column(name = "run_id", nullable = false)
    public UUID runId;

    @Column(nullable = false)
    public long step;

    public String label;

    @Column(name = "target_endpoint", nullable = false)
    public String targetEndpoint;

    @Column(name = "target_model", nullable = false)
    public String targetModel;

    /** A LoRA adapter probe-runner loads (target = its endpoint and the name it is loaded under); null otherwise. */
    @Column(name = "adapter_path")
    public String adapterPath;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
