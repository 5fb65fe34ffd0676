package dev.lookout.proberunner.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Parses a non-streaming OpenAI-compatible {@code /v1/chat/completions} response (vLLM, Ollama, TGI,
 * llama.cpp, LLaMA-Factory). Reasoning comes from {@code message.reasoning_content} or {@code message.reasoning}
 * or, failing both, a leading {@code <think>…</think>} block of the content (which is then removed from the text).
 */
public final class ChatCompletionParser {

    private static final String THINK_OPEN = "<think>";
    private static final String THINK_CLOSE = "</think>";

    private ChatCompletionParser() {
    }

    public static ChatCompletion parse(String body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("response is not a JSON object");
        }
        return parse(json);
    }

    public static ChatCompletion parse(JsonObject json) {
        JsonArray choices = json.getJsonArray("choices");
        if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject)) {
            throw new IllegalArgumentException("response has no choices");
        }
        JsonObject choice = choices.getJsonObject(0);
        JsonObject message = choice.getJsonObject("message", new JsonObject());
        String content = stringOrNull(message.getValue("content"));
        String reasoning = firstNonBlank(stringOrNull(message.getValue("reasoning_content")),
                stringOrNull(message.getValue("reasoning")));
        String[] split = splitThink(content);
        String text = split[1];
        if (reasoning == null) {
            reasoning = split[0];
        }
        JsonObject usage = json.getJsonObject("usage");
        Integer promptTokens = usage == null ? null : intOrNull(usage.getValue("prompt_tokens"));
        Integer completionTokens = usage == null ? null : intOrNull(usage.getValue("completion_tokens"));
        return new ChatCompletion(text, reasoning, stringOrNull(choice.getValue("finish_reason")), promptTokens,
                completionTokens, stringOrNull(json.getValue("model")),
                stringOrNull(json.getValue("system_fingerprint")));
    }

    /**
     * Splits a leading think block off the content: returns {reasoning or null, text}. Leading whitespace before
     * {@code <think>} is allowed; an unclosed block is all reasoning (the model ran out of tokens while thinking).
     */
    public static String[] splitThink(String content) {
        if (content == null) {
            return new String[] { null, null };
        }
        String trimmed = content.stripLeading();
        if (!trimmed.startsWith(THINK_OPEN)) {
            return new String[] { null, content };
        }
        int close = trimmed.indexOf(THINK_CLOSE);
        if (close < 0) {
            return new String[] { trimmed.substring(THINK_OPEN.length()).strip(), "" };
        }
        String reasoning = trimmed.substring(THINK_OPEN.length(), close).strip();
        String text = trimmed.substring(close + THINK_CLOSE.length()).strip();
        return new String[] { reasoning, text };
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }

    private static String stringOrNull(Object v) {
        return v instanceof String s ? s : null;
    }

    private static Integer intOrNull(Object v) {
        return v instanceof Number n ? n.intValue() : null;
    }
}
