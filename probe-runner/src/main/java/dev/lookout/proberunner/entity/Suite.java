package dev.lookout.proberunner.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "suites")
public class Suite {
    @Id
    public UUID id;
    public String project;
    public String name;
    @Column(name = "created_at")
    public Instant createdAt;
}
