package dev.lookout.ingest.service.detect;

public record SeriesPoint(long step, double value) {
}
