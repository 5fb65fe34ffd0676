package dev.lookout.proberunner.rest;

import jakarta.validation.constraints.Size;

/** PATCH /api/endpoints/{id}: the adapter settings; an absent field keeps its value. */
public record UpdateEndpointRequest(@Size(max = 100) String adapterLoading, Boolean unloadAdapterAfterRun) {
}
