package dev.lookout.ingest.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** A detector's finding on a run. Inserted with ON CONFLICT DO NOTHING (see AlarmRepository). */
@Entity
@Table(name = "alarms")
public class Alarm {

    @Id
    public UUID id;

    @Column(name = "run_id", nullable = false)
    public UUID runId;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String severity;

    @Column(nullable = false)
    public String series;

    @Column(name = "from_step", nullable = false)
    public long fromStep;

    @Column(name = "to_step", nullable = false)
    public long toStep;

    @Column(nullable = false)
    public String message;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String evidence;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
