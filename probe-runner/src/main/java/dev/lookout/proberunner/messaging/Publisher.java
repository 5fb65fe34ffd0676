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

/** Sends to the outgoing RabbitMQ channels; the returned Uni completes on the broker's publisher confirm. */
@ApplicationScoped
public class Publisher {

    private final MutinyEmitter<JsonObject> events;
    private final MutinyEmitter<JsonObject> work;

    public Publisher(@Channel(Channels.EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
            MutinyEmitter<JsonObject> events,
            @Channel(Channels.WORK) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<JsonObject> work) {
        this.events = events;
        this.work = work;
    }

    public Uni<Void> publish(String destination, String routingKey, String messageId, JsonObject payload) {
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder().withRoutingKey(routingKey)
                .withContentType("application/json").withMessageId(messageId).withDeliveryMode(2)
                .withTimestamp(ZonedDateTime.now()).build();
        MutinyEmitter<JsonObject> emitter = "work".equals(destination) ? work : events;
        // lazy: sent on subscription; completes when the broker confirms (publish-confirms=true)
        return emitter.sendMessage(Message.of(payload, Metadata.of(metadata)));
    }

    /** A retry to a delay queue (routing key retry.<level>) that expires after {@code expirationMs}. */
    public Uni<Void> publishRetry(CallMessage call, RetryQueues.Delay delay) {
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder().withRoutingKey(delay.routingKey())
                .withContentType("application/json").withMessageId(java.util.UUID.randomUUID().toString())
                .withDeliveryMode(2).withExpiration(Long.toString(delay.expirationMs()))
                .withTimestamp(ZonedDateTime.now()).build();
        return work.sendMessage(Message.of(call.toJson(), Metadata.of(metadata)));
    }

    public Uni<Void> publishCall(CallMessage call) {
        return publish("work", Channels.CALL_ROUTING_KEY, java.util.UUID.randomUUID().toString(), call.toJson());
    }
}
