package dev.lookout.proberunner.messaging;

/** The event types probe-runner publishes (routing keys on probe-runner.events; schemas in deploy/contracts). */
public final class EventTypes {
    public static final String PROBE_RUN_STARTED = "probe-run.started";
    public static final String PROBE_RUN_PROGRESSED = "probe-run.progressed";
    public static final String PROBE_RUN_COMPLETED = "probe-run.completed";

    private EventTypes() {
    }
}
