package dev.lookout.ingest.rest;

public record MetricsBatchResponse(long stored, long duplicates, long conflicts) {
}
