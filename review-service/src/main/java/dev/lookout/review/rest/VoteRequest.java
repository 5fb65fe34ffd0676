package dev.lookout.review.rest;

import dev.lookout.review.service.Choice;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

public record VoteRequest(
        @NotNull Choice choice,
        @Size(max = 20) List<@NotNull String> tags,
        @Size(max = 4000) String comment) {
}
