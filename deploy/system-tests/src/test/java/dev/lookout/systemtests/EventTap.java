package dev.lookout.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * A test's own durable quorum queue bound to a producer's exchange (routing key {@code #}) in the system-test vhost:
 * it keeps every event published while the test runs, across broker restarts (quorum queues persist every message),
 * and is read with short-lived connections, so a broker outage never breaks the tap itself. Deleted on close.
 */
final class EventTap implements AutoCloseable {

    /** One delivery as the raw queue saw it (a re-sent event appears twice, with the same eventId). */
    record Delivery(String routingKey, String messageId, String eventId, String type, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String queue;
    private final List<Delivery> seen = new ArrayList<>();

    private EventTap(String queue) {
        this.queue = queue;
    }

    /** Declares the queue and binds it to {@code exchange} (which the producing service has declared). */
    static EventTap on(String exchange) {
        EventTap tap = new EventTap("it.tap." + exchange + "." + UUID.randomUUID().toString().substring(0, 8));
        tap.withChannel(channel -> {
            channel.exchangeDeclarePassive(exchange);
            channel.queueDeclare(tap.queue, true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queueBind(tap.queue, exchange, "#");
            return null;
        });
        return tap;
    }

    /** Reads what arrived since the last call; returns every delivery seen so far, in arrival order. */
    synchronized List<Delivery> deliveries() {
        withChannel(channel -> {
            for (GetResponse r = channel.basicGet(queue, true); r != null; r = channel.basicGet(queue, true)) {
                JsonNode body = JSON.readTree(new String(r.getBody(), StandardCharsets.UTF_8));
                seen.add(new Delivery(r.getEnvelope().getRoutingKey(), r.getProps().getMessageId(),
                        body.path("eventId").asText(null), body.path("type").asText(null), body));
            }
            return null;
        });
        return List.copyOf(seen);
    }

    /** Deliveries of {@code type} whose body has {@code field} = {@code value} (raw: duplicates included). */
    List<Delivery> raw(String type, String field, String value) {
        return deliveries().stream()
                .filter(d -> type.equals(d.type()) && value.equals(d.body().path(field).asText(null))).toList();
    }

    /** The distinct eventIds of {@link #raw}: what a consumer that dedupes by eventId processes. */
    Set<String> eventIds(String type, String field, String value) {
        Set<String> ids = new LinkedHashSet<>();
        raw(type, field, value).forEach(d -> ids.add(d.eventId()));
        return ids;
    }

    @Override
    public void close() {
        withChannel(channel -> channel.queueDelete(queue));
    }

    private interface ChannelWork<T> {
        T run(Channel channel) throws IOException;
    }

    private <T> T withChannel(ChannelWork<T> work) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setVirtualHost(SystemUnderTest.VHOST);
        factory.setUsername("guest");
        factory.setPassword(SystemUnderTest.RABBITMQ_PASSWORD);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5000);
        try (Connection connection = factory.newConnection("lookout-system-tests-tap");
             Channel channel = connection.createChannel()) {
            return work.run(channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("event tap " + queue + ": " + e.getMessage(), e);
        }
    }
}
