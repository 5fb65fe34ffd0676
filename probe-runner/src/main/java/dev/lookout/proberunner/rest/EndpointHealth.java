package dev.lookout.proberunner.rest;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointHealth(UUID id, String status, Integer httpStatus, List<String> models, long latencyMs,
        String error) {
}
