package dev.lookout.proberunner.rest;

public record SideDto(String text, String error) {
}
