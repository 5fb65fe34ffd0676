package dev.lookout.proberunner.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code adapter}: the target is a LoRA adapter the runner loads on the endpoint (adapterLoading=vllm) under the
 * name {@code model} before the calls, and unloads after the run; absent for a served model.
 */
public record TargetDto(@NotBlank String endpoint, @NotBlank @Size(max = 300) String model, String label,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Valid AdapterDto adapter) {

    public TargetDto(String endpoint, String model, String label) {
        this(endpoint, model, label, null);
    }
}
