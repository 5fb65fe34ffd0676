package dev.lookout.simulator;

import io.vertx.core.buffer.Buffer;

/** One generated completion, rendered either as a {@code chat.completion} or as an SSE chunk stream. */
record Completion(String id, long created, String model, String reasoning, String content, String finishReason,
                  OpenAiShapes.Usage usage, String systemFingerprint) {

    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    OpenAiShapes.Completion json() {
        return new OpenAiShapes.Completion(id, created, model,
                new OpenAiShapes.Choice(new OpenAiShapes.Message(reasoning, content), finishReason), usage,
                systemFingerprint);
    }

    /**
     * The whole stream as vLLM frames it: a role chunk, one chunk per reasoning token, one per content token, a
     * final chunk with the finish reason, the usage chunk when asked for, then {@code [DONE]}.
     */
    Buffer sse(boolean includeUsage) {
        Buffer out = Buffer.buffer(1024);
        frame(out, OpenAiShapes.Delta.opening(), null);
        if (reasoning != null) {
            Tokens.pieces(reasoning).forEach(piece -> frame(out, OpenAiShapes.Delta.ofReasoning(piece), null));
        }
        Tokens.pieces(content).forEach(piece -> frame(out, OpenAiShapes.Delta.ofContent(piece), null));
        frame(out, OpenAiShapes.Delta.ofContent(""), finishReason);
        if (includeUsage) {
            data(out, new OpenAiShapes.Chunk(id, created, model, usage, systemFingerprint));
        }
        return out.appendBuffer(DONE);
    }

    private void frame(Buffer out, OpenAiShapes.Delta delta, String finish) {
        data(out, new OpenAiShapes.Chunk(id, created, model, new OpenAiShapes.ChunkChoice(delta, finish),
                systemFingerprint));
    }

    private static void data(Buffer out, Object chunk) {
        out.appendString("data: ").appendBuffer(Json.encode(chunk)).appendString("\n\n");
    }
}
