package dev.lookout.proberunner.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Assembles a streamed (SSE) {@code /v1/chat/completions} answer into one {@link ChatCompletion}: the
 * {@code chat.completion.chunk} frames' {@code delta.content} and {@code delta.reasoning_content} (vLLM) or
 * {@code delta.reasoning} (Ollama) are concatenated, the last non-null {@code finish_reason} wins, {@code usage}
 * comes from the chunk that carries it (the {@code choices: []} chunk of {@code stream_options.include_usage}, or
 * the last one on servers that put it there), {@code model} from the first chunk that names one. A leading
 * {@code <think>…</think>} block in the assembled content becomes the reasoning, as for non-streamed answers.
 * Events are separated by blank lines; {@code data:} lines of one event are joined; comments ({@code :}),
 * {@code event:}, {@code id:} and {@code retry:} lines are ignored; {@code data: [DONE]} ends the stream.
 */
public final class SseAssembler {

    private SseAssembler() {
    }

    public static ChatCompletion assemble(String body) {
        if (body == null) {
            throw new IllegalArgumentException("empty stream");
        }
        State state = new State();
        StringBuilder data = new StringBuilder();
        boolean done = false;
        for (String raw : body.split("\r\n|\r|\n", -1)) {
            if (raw.isEmpty()) {
                done = dispatch(data, state);
                if (done) {
                    break;
                }
                continue;
            }
            if (raw.startsWith("data:")) {
                String value = raw.substring(5);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(value);
            }
            // ":" comments, event:, id:, retry: are ignored
        }
        if (!done) {
            dispatch(data, state);
        }
        if (state.chunks == 0) {
            throw new IllegalArgumentException("stream had no chunks");
        }
        String content = state.content.toString();
        String reasoning = state.reasoning.length() == 0 ? null : state.reasoning.toString();
        String[] split = ChatCompletionParser.splitThink(content);
        if (reasoning == null) {
            reasoning = split[0];
        }
        return new ChatCompletion(split[1], reasoning, state.finishReason, state.promptTokens, state.completionTokens,
                state.model, state.fingerprint);
    }

    /** Handles one event; true when it was [DONE]. */
    private static boolean dispatch(StringBuilder data, State state) {
        if (data.length() == 0) {
            return false;
        }
        String payload = data.toString().strip();
        data.setLength(0);
        if ("[DONE]".equals(payload)) {
            return true;
        }
        JsonObject chunk;
        try {
            chunk = new JsonObject(payload);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("stream chunk is not JSON");
        }
        if (chunk.getValue("error") != null) {
            // the server's own message is not repeated: outputs are read by viewers
            throw new IllegalArgumentException("the stream reported an error");
        }
        state.chunks++;
        if (state.model == null && chunk.getValue("model") instanceof String m) {
            state.model = m;
        }
        if (state.fingerprint == null && chunk.getValue("system_fingerprint") instanceof String fp) {
            state.fingerprint = fp;
        }
        if (chunk.getValue("usage") instanceof JsonObject usage) {
            if (usage.getValue("prompt_tokens") instanceof Number n) {
                state.promptTokens = n.intValue();
            }
            if (usage.getValue("completion_tokens") instanceof Number n) {
                state.completionTokens = n.intValue();
            }
        }
        if (chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
                && choices.getValue(0) instanceof JsonObject choice) {
            if (choice.getValue("delta") instanceof JsonObject delta) {
                if (delta.getValue("content") instanceof String s) {
                    state.content.append(s);
                }
                if (delta.getValue("reasoning_content") instanceof String s) {
                    state.reasoning.append(s);
                } else if (delta.getValue("reasoning") instanceof String s) {
                    state.reasoning.append(s);
                }
            }
            if (choice.getValue("finish_reason") instanceof String f) {
                state.finishReason = f;
            }
        }
        return false;
    }

    private static final class State {
        final StringBuilder content = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        String finishReason;
        Integer promptTokens;
        Integer completionTokens;
        String model;
        String fingerprint;
        int chunks;
    }
}
