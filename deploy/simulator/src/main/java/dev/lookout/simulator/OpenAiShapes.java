package dev.lookout.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** Wire shapes of the OpenAI-compatible API, field for field as vLLM answers them. */
final class OpenAiShapes {

    private OpenAiShapes() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                      String systemFingerprint) {
        Completion(String id, long created, String model, Choice choice, Usage usage, String systemFingerprint) {
            this(id, "chat.completion", created, model, List.of(choice), usage, systemFingerprint);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Choice(int index, Message message, Object logprobs, String finishReason, Object stopReason) {
        Choice(Message message, String finishReason) {
            this(0, message, null, finishReason, null);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Message(String role, String reasoningContent, String content, List<Object> toolCalls) {
        Message(String reasoningContent, String content) {
            this("assistant", reasoningContent, content, List.of());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Usage(int promptTokens, int totalTokens, int completionTokens, Object promptTokensDetails) {
        Usage(int promptTokens, int completionTokens) {
            this(promptTokens, promptTokens + completionTokens, completionTokens, null);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage, String systemFingerprint) {
        Chunk(String id, long created, String model, ChunkChoice choice, String systemFingerprint) {
            this(id, "chat.completion.chunk", created, model, List.of(choice), null, systemFingerprint);
        }

        Chunk(String id, long created, String model, Usage usage, String systemFingerprint) {
            this(id, "chat.completion.chunk", created, model, List.of(), usage, systemFingerprint);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ChunkChoice(int index, Delta delta, Object logprobs, String finishReason) {
        ChunkChoice(Delta delta, String finishReason) {
            this(0, delta, null, finishReason);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String reasoningContent, String content) {
        static Delta opening() {
            return new Delta("assistant", null, "");
        }

        static Delta ofReasoning(String piece) {
            return new Delta(null, piece, null);
        }

        static Delta ofContent(String piece) {
            return new Delta(null, null, piece);
        }
    }

    record ModelList(String object, List<ModelCard> data) {
        ModelList(List<ModelCard> data) {
            this("list", data);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ModelCard(String id, String object, long created, String ownedBy, String root, Object parent) {
        ModelCard(String id, long created, String root) {
            this(id, "model", created, "lookout-simulator", root, null);
        }
    }

    record ErrorBody(ErrorDetail error) {
    }

    record ErrorDetail(String message, String type, Object param, String code) {
        ErrorDetail(String message, String type, String code) {
            this(message, type, null, code);
        }
    }
}
