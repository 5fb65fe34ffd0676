package dev.lookout.ingest.rest;

import java.time.Instant;
import java.util.List;

/** Points are validated one by one in the resource so a bad one is reported by its index. */
public record MetricsBatchRequest(List<PointRequest> points) {

    /** value accepts numbers, bare NaN/Infinity and the strings "NaN", "Infinity", "-Infinity". */
    public record PointRequest(String name, Long step, Double value, Instant wallTime) {
    }
}
