package dev.lookout.proberunner.rest;

public record TargetRef(String endpoint, String model) {
}
