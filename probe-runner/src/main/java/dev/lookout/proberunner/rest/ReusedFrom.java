package dev.lookout.proberunner.rest;

import java.util.UUID;

/** Where a reused answer was asked: its output, probe run and (for checkpoint runs) checkpoint and step. */
public record ReusedFrom(UUID outputId, UUID probeRunId, UUID checkpointId, Long step) {
}
