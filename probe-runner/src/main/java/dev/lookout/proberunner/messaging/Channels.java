package dev.lookout.proberunner.messaging;

/** Logical channel names (application.properties binds them to exchanges and queues). */
public final class Channels {
    /** outgoing → exchange probe-runner.events (routing key = event type). */
    public static final String EVENTS = "events";
    /** Outbox destination of call messages → exchange probe-runner.work (routing key "call"), see WorkPublisher. */
    public static final String WORK = "work";
    /** incoming ← quorum queue probe-runner.calls. */
    public static final String CALLS = "calls";
    /** incoming ← queue probe-runner.checkpoint.registered bound to ingest.events. */
    public static final String CHECKPOINT_REGISTERED = "checkpoint-registered";

    public static final String CALL_ROUTING_KEY = "call";

    private Channels() {
    }
}
