package dev.lookout.ingest.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Exactly one of {@code target} (a served model) and {@code adapter} (a LoRA adapter probe-runner loads). */
public record RegisterCheckpointRequest(@NotNull @PositiveOrZero Long step, @Size(max = 200) String label,
                                        @Valid TargetDto target, @Valid AdapterDto adapter) {
}
