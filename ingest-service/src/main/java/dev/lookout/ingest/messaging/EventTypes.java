package dev.lookout.ingest.messaging;

public final class EventTypes {
    public static final String RUN_CREATED = "run.created";
    public static final String CHECKPOINT_REGISTERED = "checkpoint.registered";
    public static final String ALARM_RAISED = "alarm.raised";

    private EventTypes() {
    }
}
