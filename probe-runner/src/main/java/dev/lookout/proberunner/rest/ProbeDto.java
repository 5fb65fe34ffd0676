package dev.lookout.proberunner.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

public record ProbeDto(
        @NotBlank @Size(max = 200) String id,
        @NotEmpty List<@Valid @NotNull ChatMessage> messages,
        List<String> tags,
        List<@Valid @NotNull Check> checks,
        String reference,
        /** User messages asked after the model's own previous answer (MT-Bench turn 2); absent = one turn. */
        @JsonInclude(JsonInclude.Include.NON_NULL) @Size(max = 10) List<@NotNull @Size(max = 100_000) String> followUps) {

    public ProbeDto(String id, List<ChatMessage> messages, List<String> tags, List<Check> checks, String reference) {
        this(id, messages, tags, checks, reference, null);
    }
}
