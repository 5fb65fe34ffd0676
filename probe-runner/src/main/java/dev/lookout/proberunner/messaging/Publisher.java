package dev.lookout.proberunner.messaging;

import java.time.ZonedDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;

/**
 * Sends events (SmallRye outgoing channel {@code events}) and call messages ({@link WorkPublisher}, straight to the
 * work exchange); the returned Uni completes on the broker's publisher confirm.
 */
@ApplicationScoped
public class Publisher {

    private final MutinyEmitter<JsonObject> events;
    private final WorkPublisher work;

    public Publisher(@Channel(Channels.EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
            MutinyEmitter<JsonObject> events, WorkPublisher work) {
        this.events = events;
        this.work = work;
    }

    public Uni<Void> publish(String destination, String routingKey, String messageId, JsonObject payload) {
        if (Channels.WORK.equals(destination)) {
            return work.publish(routingKey, messageId, payload, null);
        }
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder().withRoutingKey(routingKey)
                .withContentType("application/json").withMessageId(messageId).withDeliveryMode(2)
                .withTimestamp(ZonedDateTime.now()).build();
        // lazy: sent on subscription; completes when the broker confirms (publish-confirms=true)
        return events.sendMessage(Message.of(payload, Metadata.of(metadata)));
    }

    /** A retry to a delay queue (routing key retry.<level>) that expires after {@code expirationMs}. */
    public Uni<Void> publishRetry(CallMessage call, RetryQueues.Delay delay) {
        return work.publish(delay.routingKey(), java.util.UUID.randomUUID().toString(), call.toJson(),
                delay.expirationMs());
    }
}
