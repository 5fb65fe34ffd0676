package dev.lookout.review.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** probe-runner's GET /api/comparisons answer; only the fields review-service uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Comparison(UUID suiteVersionId, String project, JsonNode candidate, JsonNode baseline,
                        List<Item> items) {

    /** The same comparison with only these items. */
    public Comparison withItems(List<Item> kept) {
        return new Comparison(suiteVersionId, project, candidate, baseline, kept);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String probeId, List<String> tags, List<Map<String, Object>> messages,
                       Output candidate, Output baseline, Boolean identical, Double similarity, Boolean changed) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String text, String error) {
    }
}
