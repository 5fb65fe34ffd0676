package dev.lookout.proberunner.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A message to publish after commit: an event (destination "events") or a model call (destination "work"). */
@Entity
@Table(name = "outbox")
public class OutboxEvent {
    public static final String EVENTS = "events";
    public static final String WORK = "work";

    @Id
    public UUID id;
    public String destination;
    @Column(name = "event_type")
    public String eventType;
    @JdbcTypeCode(SqlTypes.JSON)
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "published_at")
    public Instant publishedAt;
}
