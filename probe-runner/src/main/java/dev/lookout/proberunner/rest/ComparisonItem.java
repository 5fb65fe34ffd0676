package dev.lookout.proberunner.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One probe of a comparison. {@code semanticSimilarity}: cosine of the two answers' embeddings (null when the
 * project has semantic similarity off or a side has no answer); {@code semanticModel}: the model that embedded
 * them (omitted when null).
 */
public record ComparisonItem(String probeId, List<String> tags, List<ChatMessage> messages, SideDto candidate,
        SideDto baseline, boolean identical, Double similarity, boolean changed, Double lengthRatio,
        List<CheckDiff> checks, Double semanticSimilarity,
        @JsonInclude(JsonInclude.Include.NON_NULL) String semanticModel) {
}
