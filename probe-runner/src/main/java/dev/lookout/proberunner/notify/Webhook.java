package dev.lookout.proberunner.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A project's webhook; the secret is AES-GCM ciphertext bound to {@link #id} and never leaves the service. */
@Entity
@Table(name = "webhooks")
public class Webhook {
    public static final String JSON = "json";
    public static final String SLACK = "slack";

    @Id
    public UUID id;
    public String project;
    public String url;
    /** JSON array of subscribed event types. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> events;
    public String format;
    @Column(name = "secret_enc")
    public String secretEnc;
    public boolean enabled;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;

    @Override
    public String toString() {
        return "Webhook[" + id + ", " + project + "]";
    }
}
