package dev.lookout.ingest.service;

import java.time.Instant;

/** One point of a metric series, name already normalised. wallTime may be null. */
public record MetricPoint(String name, long step, double value, Instant wallTime) {
}
