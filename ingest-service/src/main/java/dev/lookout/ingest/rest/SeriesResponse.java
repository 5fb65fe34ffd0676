package dev.lookout.ingest.rest;

import java.util.List;

/** Non-finite values serialise as the strings "NaN", "Infinity", "-Infinity". */
public record SeriesResponse(List<Series> series) {

    public record Series(String name, long count, Double min, Double max, Double last, List<Point> points) {
    }

    public record Point(long step, double value) {
    }
}
