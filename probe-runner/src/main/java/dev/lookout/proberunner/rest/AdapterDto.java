package dev.lookout.proberunner.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Where the model server reads a LoRA adapter from (a path on the model server's side). */
public record AdapterDto(@NotBlank @Size(max = 1024) String path) {
}
