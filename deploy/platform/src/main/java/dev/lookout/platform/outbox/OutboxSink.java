package dev.lookout.platform.outbox;

import java.util.concurrent.CompletionStage;

/** Where the relay sends messages: a service's broker channel. */
@FunctionalInterface
public interface OutboxSink {

    /**
     * Starts publishing one message and returns at once. The stage completes when the broker confirmed the message
     * (publisher confirms), and fails if it was refused or the connection was lost; messages are published in the
     * order of the calls.
     */
    CompletionStage<Void> publish(OutboxMessage message);
}
