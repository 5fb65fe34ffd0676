package dev.lookout.proberunner.rest;

import java.util.UUID;

public record ProbeRunCreated(UUID id, String status) {
}
