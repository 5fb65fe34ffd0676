package dev.lookout.ingest.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One training job in a project. */
@Entity
@Table(name = "runs")
public class Run {

    public enum Status { running, finished, failed, stalled }

    @Id
    public UUID id;

    @Column(nullable = false)
    public String project;

    @Column(nullable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> labels;

    @Column(name = "baseline_endpoint", nullable = false)
    public String baselineEndpoint;

    @Column(name = "baseline_model", nullable = false)
    public String baselineModel;

    public String suite;

    @Column(nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "last_point_at")
    public Instant lastPointAt;
}
