package dev.lookout.review.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Every vote is kept; the latest one per (item, reviewer) counts. */
@Entity
@Table(name = "votes")
public class Vote {
    @Id
    public UUID id;
    /** Database-generated order of votes (the latest per item and reviewer counts); read-only here. */
    @Column(insertable = false, updatable = false)
    public Long seq;
    @Column(name = "item_id")
    public UUID itemId;
    @Column(name = "assignment_id")
    public UUID assignmentId;
    public String reviewer;
    public String choice;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> tags;
    public String comment;
    @Column(name = "created_at")
    public Instant createdAt;
    /** Set by DELETE /api/reviews/{task}/vote; a withdrawn latest vote counts nowhere. */
    @Column(name = "withdrawn_at")
    public Instant withdrawnAt;
}
