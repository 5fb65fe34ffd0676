package dev.lookout.ingest.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A checkpoint served as a LoRA adapter that probe-runner loads itself: the path the model server reads it from, the
 * endpoint (name or id, with adapterLoading=vllm) that loads it, and the name it is loaded under (default
 * {@code <run>-<step>}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdapterDto(@NotBlank @Size(max = 1024) String path, @NotBlank @Size(max = 200) String endpoint,
                         @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}",
                                 message = "must be 1-100 letters, digits, '.', '_' or '-'") String name) {
}
