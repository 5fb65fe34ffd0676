package dev.lookout.gateway.messaging;

/** Incoming channels of the live feed (one per producer exchange; see application.properties). */
public final class Channels {
    public static final String LIVE_INGEST = "live-ingest";
    public static final String LIVE_PROBE_RUNNER = "live-probe-runner";
    public static final String LIVE_REVIEW = "live-review";

    private Channels() {
    }
}
