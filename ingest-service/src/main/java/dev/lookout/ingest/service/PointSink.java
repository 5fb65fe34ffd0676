package dev.lookout.ingest.service;

/**
 * Receives the points of one append in arrival order. Names are already normalised.
 */
public interface PointSink {

    /** wallMicros value meaning "no wall time". */
    long NO_WALL = Long.MIN_VALUE;

    /**
     * @param wallMicros microseconds since 2000-01-01T00:00Z (PostgreSQL's epoch), or {@link #NO_WALL}
     */
    void add(String name, long step, double value, long wallMicros);

    /** Produces the points of one append into a sink; throws (a runtime exception) to abort the whole append. */
    @FunctionalInterface
    interface Producer {
        void produce(PointSink sink);
    }
}
