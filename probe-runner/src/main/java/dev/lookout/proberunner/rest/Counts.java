package dev.lookout.proberunner.rest;

public record Counts(int pending, int done, int error) {
}
