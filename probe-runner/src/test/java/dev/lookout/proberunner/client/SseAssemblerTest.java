package dev.lookout.proberunner.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Frames shaped like the recorded vLLM stream and Ollama's OpenAI layer (src/test/resources/sse). */
class SseAssemblerTest {

    private static String frames(String name) throws IOException {
        try (InputStream in = SseAssemblerTest.class.getResourceAsStream("/sse/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldAssembleVllmContentWithAThinkBlockAndTheUsageChunk() throws IOException {
        ChatCompletion c = SseAssembler.assemble(frames("vllm_think_in_content.txt"));
        assertEquals("Hello, PyCon Korea!", c.text());
        assertEquals("The user greets.", c.reasoning());
        assertEquals("stop", c.finishReason());
        assertEquals(14, c.promptTokens());
        assertEquals(26, c.completionTokens());
        assertEquals("Qwen/Qwen3-0.6B", c.serverModel());
    }

    @Test
    void shouldAssembleVllmReasoningContentDeltas() throws IOException {
        ChatCompletion c = SseAssembler.assemble(frames("vllm_reasoning_content.txt"));
        assertEquals("您好，退款已到账。", c.text());
        assertEquals("用户问退款。", c.reasoning());
        assertEquals("length", c.finishReason());
        assertNull(c.promptTokens());
    }

    @Test
    void shouldAssembleOllamaReasoningDeltasWithCrlfAndUsageOnTheLastChunk() throws IOException {
        ChatCompletion c = SseAssembler.assemble(frames("ollama_reasoning.txt"));
        assertEquals("The answer is 4.", c.text());
        assertEquals("step-by-step", c.reasoning());
        assertEquals("stop", c.finishReason());
        assertEquals(9, c.promptTokens());
        assertEquals(5, c.completionTokens());
        assertEquals("qwen3:0.6b", c.serverModel());
    }

    @Test
    void shouldIgnoreCommentsAndStopAtDone() {
        String body = ": keep-alive\n\nevent: message\ndata: {\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: [DONE]\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"ignored\"}}]}\n\n";
        assertEquals("a", SseAssembler.assemble(body).text());
    }

    @Test
    void shouldRefuseErrorsAndEmptyStreams() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SseAssembler.assemble(
                "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n"));
        // the server's own message is not repeated (viewers read errors)
        assertEquals("the stream reported an error", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SseAssembler.assemble("data: [DONE]\n\n"));
        assertThrows(IllegalArgumentException.class, () -> SseAssembler.assemble("data: {not json\n\n"));
    }
}
