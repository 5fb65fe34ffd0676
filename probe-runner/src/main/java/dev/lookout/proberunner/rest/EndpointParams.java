package dev.lookout.proberunner.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import com.fasterxml.jackson.annotation.JsonProperty;

public record EndpointParams(
        @Min(0) @Max(2) Double temperature,
        @JsonProperty("top_p") @Min(0) @Max(1) Double topP,
        @JsonProperty("max_tokens") @Min(1) @Max(1_000_000) Integer maxTokens,
        Long seed) {
}
