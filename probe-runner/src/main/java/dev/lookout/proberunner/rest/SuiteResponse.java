package dev.lookout.proberunner.rest;

import java.util.List;
import java.util.UUID;

public record SuiteResponse(UUID id, String project, String name, int version, UUID versionId,
        List<ProbeDto> probes) {
}
