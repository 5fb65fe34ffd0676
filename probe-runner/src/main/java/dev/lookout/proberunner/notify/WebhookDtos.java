package dev.lookout.proberunner.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

/** HTTP shapes of /api/projects/{key}/webhooks. */
public final class WebhookDtos {

    private WebhookDtos() {
    }

    /**
     * POST body, and PUT body (PUT replaces every field; a PUT without {@code secret} keeps the stored one).
     * {@code format}: json (default) or slack; {@code enabled} defaults to true.
     */
    public record WebhookRequest(@NotBlank @Size(max = 2048) String url, @NotNull List<String> events, String format,
            @Size(min = 16, max = 256) String secret, Boolean enabled) {

        @Override
        public String toString() {
            return "WebhookRequest[url hidden, events=" + events + ", format=" + format + "]";
        }
    }

    /**
     * A webhook as served. {@code url} is the whole URL for engineers and admins, the origin only for other readers;
     * {@code secret} appears once, in the answer to the POST that generated it, and never again.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookResponse(UUID id, String project, String url, List<String> events, String format,
            boolean enabled, Instant createdAt, Instant updatedAt, String updatedBy, String secret) {

        @Override
        public String toString() {
            return "WebhookResponse[" + id + ", " + project + "]";
        }
    }

    /** One row of the delivery log. */
    public record DeliveryResponse(UUID id, String eventType, UUID eventId, String state, int attempts,
            Integer lastStatus, String lastError, Instant createdAt, Instant updatedAt, Instant nextAttemptAt,
            Instant deliveredAt) {
    }

    /** POST .../test: the queued delivery. */
    public record TestQueued(UUID deliveryId, String state) {
    }
}
