package dev.lookout.ingest.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A model target: endpoint NAME (unique in the project) and model name. */
public record TargetDto(@NotBlank @Size(max = 200) String endpoint, @NotBlank @Size(max = 300) String model) {
}
