package dev.lookout.review.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A task: one item reserved for one reviewer (lease), at most once per (item, reviewer). */
@Entity
@Table(name = "assignments")
public class Assignment {
    @Id
    public UUID id;
    @Column(name = "item_id")
    public UUID itemId;
    public String reviewer;
    @Column(name = "leased_until")
    public Instant leasedUntil;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "voted_at")
    public Instant votedAt;
    /** Set when the reviewer skipped the task: its slot is free and the item never comes back to them. */
    @Column(name = "skipped_at")
    public Instant skippedAt;
}
