package dev.lookout.proberunner.rest;

public record CheckResultDto(String type, Boolean pass) {
}
