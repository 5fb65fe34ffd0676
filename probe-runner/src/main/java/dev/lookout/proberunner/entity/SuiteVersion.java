package dev.lookout.proberunner.entity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.lookout.proberunner.domain.Probe;

/** One immutable version of a suite: its probes plus the SHA-256 of their canonical JSON. */
@Entity
@Immutable
@Table(name = "suite_versions")
public class SuiteVersion {
    @Id
    public UUID id;
    @Column(name = "suite_id")
    public UUID suiteId;
    public int version;
    @Column(name = "content_hash")
    public String contentHash;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Probe> probes;
    @Column(name = "created_at")
    public Instant createdAt;
}
