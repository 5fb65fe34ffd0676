package dev.lookout.proberunner.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ChatCompletionParserTest {

    /** Shape recorded from vLLM serving Qwen3 (reasoning_content null, think block in content). */
    private static final String VLLM_THINK = """
            {"id":"chatcmpl-8b08","object":"chat.completion","created":1754911351,"model":"Qwen/Qwen3-0.6B",
             "choices":[{"index":0,"message":{"role":"assistant","reasoning_content":null,
               "content":"<think>\\nOkay, the user is asking for a welcome.\\n</think>\\n\\nHello, PyCon Korea 2025!",
               "tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],
             "usage":{"prompt_tokens":19,"total_tokens":415,"completion_tokens":396,"prompt_tokens_details":null}}
            """;

    @Test
    void shouldSplitLeadingThinkBlock() {
        ChatCompletion c = ChatCompletionParser.parse(VLLM_THINK);
        assertEquals("Hello, PyCon Korea 2025!", c.text());
        assertEquals("Okay, the user is asking for a welcome.", c.reasoning());
        assertEquals("stop", c.finishReason());
        assertEquals(19, c.promptTokens());
        assertEquals(396, c.completionTokens());
        assertEquals("Qwen/Qwen3-0.6B", c.serverModel());
    }

    @Test
    void shouldPreferReasoningContentField() {
        String body = """
                {"model":"m","choices":[{"message":{"content":"42","reasoning_content":"think hard"},
                 "finish_reason":"length"}]}""";
        ChatCompletion c = ChatCompletionParser.parse(body);
        assertEquals("42", c.text());
        assertEquals("think hard", c.reasoning());
        assertEquals("length", c.finishReason());
        assertNull(c.promptTokens());
    }

    @Test
    void shouldReadOllamaReasoningField() {
        String body = """
                {"model":"qwen3","choices":[{"index":0,"message":{"role":"assistant","content":"Hi",
                 "reasoning":"short thought"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}""";
        ChatCompletion c = ChatCompletionParser.parse(body);
        assertEquals("Hi", c.text());
        assertEquals("short thought", c.reasoning());
    }

    @Test
    void shouldKeepTextWithoutThinkBlock() {
        String[] split = ChatCompletionParser.splitThink("No thinking here <think>not leading</think>");
        assertNull(split[0]);
        assertEquals("No thinking here <think>not leading</think>", split[1]);
    }

    @Test
    void shouldTreatUnclosedThinkAsReasoningOnly() {
        String[] split = ChatCompletionParser.splitThink("<think>ran out of tokens");
        assertEquals("ran out of tokens", split[0]);
        assertEquals("", split[1]);
    }

    @Test
    void shouldRejectResponsesWithoutChoices() {
        assertThrows(IllegalArgumentException.class, () -> ChatCompletionParser.parse("{\"choices\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> ChatCompletionParser.parse("not json"));
    }

    @Test
    void shouldHonourRetryAfterAndBackOffExponentially() {
        RetryPolicy policy = new RetryPolicy(4, 1000, 60_000, new SplittableRandom(1));
        long first = policy.delayMs(1, null);
        long third = policy.delayMs(3, null);
        assertEquals(true, first >= 500 && first <= 1000, "first=" + first);
        assertEquals(true, third >= 2000 && third <= 4000, "third=" + third);
        assertEquals(true, policy.delayMs(1, 7000L) >= 7000);
        assertEquals(true, policy.canRetry(3));
        assertEquals(false, policy.canRetry(4));
        assertEquals(2000L, RetryPolicy.parseRetryAfter("2", Instant.now()));
        assertEquals(5000L, RetryPolicy.parseRetryAfter("Fri, 27 Nov 2026 10:00:05 GMT",
                Instant.parse("2026-11-27T10:00:00Z")));
        assertNull(RetryPolicy.parseRetryAfter("soon", Instant.now()));
        assertEquals(true, RetryPolicy.retryableStatus(429));
        assertEquals(true, RetryPolicy.retryableStatus(503));
        assertEquals(false, RetryPolicy.retryableStatus(400));
    }
}
