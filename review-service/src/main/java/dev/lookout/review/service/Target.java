package dev.lookout.review.service;

import com.fasterxml.jackson.databind.JsonNode;

/** A model target: endpoint NAME (unique in a project) and model name. */
public record Target(String endpoint, String model) {

    /** Parses "endpoint/model"; the model may itself contain slashes ("Qwen/Qwen2.5-7B"). */
    public static Target parse(String value) {
        if (value == null) {
            return null;
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            return null;
        }
        return new Target(value.substring(0, slash), value.substring(slash + 1));
    }

    /** Reads {endpoint, model} or an "endpoint/model" string; null when absent or incomplete. */
    public static Target fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return parse(node.asText());
        }
        String endpoint = node.path("endpoint").asText(null);
        String model = node.path("model").asText(null);
        return endpoint == null || model == null ? null : new Target(endpoint, model);
    }
}
