package dev.lookout.proberunner.entity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "endpoints")
public class Endpoint {
    @Id
    public UUID id;
    public String project;
    public String name;
    @Column(name = "base_url")
    public String baseUrl;
    /** AES-GCM ciphertext (base64 of iv||ciphertext), bound to {@link #id}; never leaves the service. */
    @Column(name = "api_key_enc")
    public String apiKeyEnc;
    @Column(name = "max_concurrency")
    public int maxConcurrency;
    @Column(name = "timeout_ms")
    public int timeoutMs;
    /** The sampling parameters sent with every call (temperature, top_p, max_tokens, seed). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> params = new LinkedHashMap<>();
    @Column(name = "extra_body")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> extraBody = new LinkedHashMap<>();
    /** Longest answer read (bytes); null = lookout.endpoints.max-response-bytes. */
    @Column(name = "max_response_bytes")
    public Integer maxResponseBytes;
    /** Call with stream: true and assemble the SSE chunks (servers that only stream). */
    public boolean stream;
    /** The endpoint declares that a model name always serves the same weights: its answers may be reused. */
    @Column(name = "immutable_models")
    public boolean immutableModels;
    /** {@code none} or {@code vllm}: the runner loads a checkpoint's LoRA adapter itself (vLLM's runtime LoRA API). */
    @Column(name = "adapter_loading")
    public String adapterLoading = "none";
    /** Unload an adapter the runner loaded once the probe run that needed it is over. */
    @Column(name = "unload_adapter_after_run")
    public boolean unloadAdapterAfterRun = true;
    @Column(name = "created_at")
    public Instant createdAt;

    @Override
    public String toString() {
        return "Endpoint[" + id + ", " + project + "/" + name + "]";
    }
}
