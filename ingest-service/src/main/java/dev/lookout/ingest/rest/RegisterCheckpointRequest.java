package dev.lookout.ingest.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

public record RegisterCheckpointRequest(@NotNull @PositiveOrZero Long step, @Size(max = 200) String label,
                                        @NotNull @Valid TargetDto target) {
}
