package dev.lookout.ingest.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** PUT /api/projects/{key}/runs/{name}: a run's body without project and name (those are in the path). */
public record PutRunRequest(Map<String, Object> labels, @NotNull @Valid TargetDto baseline, @Size(max = 200) String suite) {
}
