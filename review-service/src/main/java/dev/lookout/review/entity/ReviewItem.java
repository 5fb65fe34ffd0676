package dev.lookout.review.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One blind A/B item: the texts are stored by position, {@link #candidateSide} says which one is the candidate. */
@Entity
@Table(name = "items")
public class ReviewItem {
    @Id
    public UUID id;
    @Column(name = "batch_id")
    public UUID batchId;
    public int position;
    @Column(name = "probe_id")
    public String probeId;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "probe_tags")
    public List<String> probeTags;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, Object>> messages;
    @Column(name = "text_a")
    public String textA;
    @Column(name = "text_b")
    public String textB;
    @Column(name = "candidate_side")
    public String candidateSide;
    public boolean control;
    public Double similarity;
}
