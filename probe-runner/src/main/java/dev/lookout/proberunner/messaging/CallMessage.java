package dev.lookout.proberunner.messaging;

import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** One model call on the work queue: which pending output to fill, and which attempt this is (1-based). */
public record CallMessage(UUID outputId, UUID probeRunId, int attempt) {

    public JsonObject toJson() {
        return new JsonObject().put("outputId", outputId.toString()).put("probeRunId", probeRunId.toString())
                .put("attempt", attempt);
    }

    public static CallMessage fromJson(JsonObject json) {
        return new CallMessage(UUID.fromString(json.getString("outputId")),
                UUID.fromString(json.getString("probeRunId")), json.getInteger("attempt", 1));
    }

    public CallMessage next() {
        return new CallMessage(outputId, probeRunId, attempt + 1);
    }
}
