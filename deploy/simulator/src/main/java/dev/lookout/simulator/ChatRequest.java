package dev.lookout.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** The parts of an OpenAI chat completion request the simulator uses; unknown fields are ignored. */
record ChatRequest(String model, List<Message> messages, double temperature, Long seed, Integer maxTokens,
                   boolean stream, boolean includeUsage) {

    record Message(String role, String content) {
    }

    /** Parses and validates a request body; anything a real server would refuse is an IllegalArgumentException. */
    static ChatRequest parse(Buffer body) {
        JsonNode root = Json.parse(body);
        if (!root.isObject()) {
            throw new IllegalArgumentException("the request body must be a JSON object");
        }
        JsonNode model = root.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw new IllegalArgumentException("'model' is required and must be a string");
        }
        JsonNode maxTokens = optional(root, "max_tokens").isNull()
                ? optional(root, "max_completion_tokens") : optional(root, "max_tokens");
        JsonNode temperature = optional(root, "temperature");
        JsonNode seed = optional(root, "seed");
        JsonNode stream = optional(root, "stream");
        require(maxTokens.isNull() || maxTokens.isIntegralNumber() && maxTokens.canConvertToInt()
                && maxTokens.intValue() >= 1, "'max_tokens' must be a positive integer");
        require(temperature.isNull() || temperature.isNumber(), "'temperature' must be a number");
        require(seed.isNull() || seed.isIntegralNumber() && seed.canConvertToLong(), "'seed' must be an integer");
        require(stream.isNull() || stream.isBoolean(), "'stream' must be a boolean");
        return new ChatRequest(model.asText(), messages(root.path("messages")), temperature.asDouble(0),
                seed.isNull() ? null : seed.asLong(), maxTokens.isNull() ? null : maxTokens.intValue(),
                stream.asBoolean(false),
                root.path("stream_options").path("include_usage").asBoolean(false));
    }

    /** The content of the last user message ("" when there is none): the prompt the answer is about. */
    String prompt() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** True when any message carries the echo marker: the answer is then the prompt, verbatim. */
    boolean echo() {
        return messages.stream().anyMatch(m -> m.content().contains(Replies.ECHO_MARKER));
    }

    /** The seed only varies the wording when sampling (temperature > 0). */
    long variation() {
        return temperature > 0 && seed != null ? seed : 0;
    }

    int promptTokens() {
        return messages.stream().mapToInt(m -> Tokens.count(m.content())).sum();
    }

    private static List<Message> messages(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("'messages' must be a non-empty array");
        }
        List<Message> messages = new ArrayList<>(node.size());
        for (JsonNode m : node) {
            if (!m.path("role").isTextual()) {
                throw new IllegalArgumentException("every message needs a string 'role'");
            }
            messages.add(new Message(m.get("role").asText(), content(m.path("content"))));
        }
        return messages;
    }

    /** A string, null, or an array of content parts whose text parts are concatenated. */
    private static String content(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            StringBuilder text = new StringBuilder();
            node.forEach(part -> text.append(part.path("text").asText("")));
            return text.toString();
        }
        require(node.isMissingNode() || node.isNull(), "message 'content' must be a string or an array of parts");
        return "";
    }

    private static JsonNode optional(JsonNode root, String field) {
        JsonNode value = root.path(field);
        return value.isMissingNode() ? NullNode.getInstance() : value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
