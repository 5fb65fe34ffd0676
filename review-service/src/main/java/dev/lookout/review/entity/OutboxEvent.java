package dev.lookout.review.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** An event written in the same transaction as the change it announces; the id is the eventId. */
@Entity
@Table(name = "outbox")
public class OutboxEvent {
    @Id
    public UUID id;
    @Column(name = "event_type")
    public String eventType;
    @JdbcTypeCode(SqlTypes.JSON)
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "published_at")
    public Instant publishedAt;
}
