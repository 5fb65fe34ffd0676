package dev.lookout.gateway.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.lookout.contracts.EventContracts;
import dev.lookout.gateway.service.Caller;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import dev.lookout.gateway.UpstreamsWireMock;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real broker: an event published on test-gateway.review.events reaches the live feed of a member of its project. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(UpstreamsWireMock.class)
class LiveFeedTest {

    @Inject
    LiveFeed feed;

    @Test
    void shouldFanOutBrokerEventsOnlyToMembersOfTheProject() throws Exception {
        Caller eve = new Caller("eve", List.of("engineer"), List.of("demo"));
        AssertSubscriber<JsonObject> subscriber = feed.stream(eve)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                publish(channel, "other");
                publish(channel, "demo");
                assertFalse(subscriber.getItems().isEmpty());
            });
        }
        assertTrue(subscriber.getItems().stream().allMatch(e -> "demo".equals(e.getString("project"))));
        assertTrue(subscriber.getItems().stream().allMatch(e -> "verdict.updated".equals(e.getString("type"))));
        subscriber.cancel();
    }

    private static void publish(Channel channel, String project) throws Exception {
        String eventId = UUID.randomUUID().toString();
        String event = EventContracts.exampleWith("verdict.updated", 1, "undecided",
                Map.of("eventId", eventId, "project", project));
        channel.basicPublish("test-gateway.review.events", "verdict.updated",
                new AMQP.BasicProperties.Builder().contentType("application/json").messageId(eventId).build(),
                event.getBytes(StandardCharsets.UTF_8));
    }

    /** Every example of every event in deploy/contracts, published on its exchange, reaches the feed unchanged. */
    @Test
    void shouldPassEveryContractExampleThroughUnchanged() throws Exception {
        Caller ada = new Caller("ada", List.of("admin"), List.of());
        AssertSubscriber<JsonObject> subscriber = feed.stream(ada)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Map<String, JsonObject> sent = new LinkedHashMap<>();
        Map<String, String> routes = new LinkedHashMap<>();
        for (EventContracts.Event e : EventContracts.events()) {
            for (String name : EventContracts.examples(e.type(), e.version()).keySet()) {
                String eventId = UUID.randomUUID().toString();
                sent.put(eventId, new JsonObject(EventContracts.exampleWith(e.type(), e.version(), name,
                        Map.of("eventId", eventId))));
                routes.put(eventId, "test-gateway." + e.exchange());
            }
        }
        assertEquals(14, sent.size(), sent.keySet().toString());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                Map<String, JsonObject> received = byEventId(subscriber.getItems());
                for (Map.Entry<String, JsonObject> e : sent.entrySet()) {
                    if (!received.containsKey(e.getKey())) { // not bound yet right after start: publish again
                        channel.basicPublish(routes.get(e.getKey()), e.getValue().getString("type"),
                                new AMQP.BasicProperties.Builder().contentType("application/json")
                                        .messageId(e.getKey()).build(),
                                e.getValue().encode().getBytes(StandardCharsets.UTF_8));
                    }
                }
                assertTrue(byEventId(subscriber.getItems()).keySet().containsAll(sent.keySet()));
            });
        }
        Map<String, JsonObject> received = byEventId(subscriber.getItems());
        sent.forEach((eventId, event) -> assertEquals(event, received.get(eventId), event.getString("type")));
        subscriber.cancel();
    }

    private static Map<String, JsonObject> byEventId(List<JsonObject> events) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        events.forEach(e -> out.putIfAbsent(e.getString("eventId"), e));
        return out;
    }

    @Test
    void shouldKeepVerdictEventsFromReviewerOnlyCallers() {
        JsonObject verdict = new JsonObject(EventContracts.example("verdict.updated", 1, "undecided"));
        JsonObject progress = new JsonObject(EventContracts.example("probe-run.progressed", 1, "halfway"));
        assertEquals("demo", verdict.getString("project"));
        assertEquals("demo", progress.getString("project"));
        Caller rita = new Caller("rita", List.of("reviewer"), List.of("demo"));
        Caller rob = new Caller("rob", List.of("reviewer", "viewer"), List.of("demo"));
        assertFalse(LiveFeed.visibleTo(verdict, rita), "a live verdict right after a vote would unblind rita");
        assertFalse(LiveFeed.visibleTo(verdict, rob));
        assertTrue(LiveFeed.visibleTo(progress, rita));
        for (Caller sees : List.of(new Caller("vic", List.of("viewer"), List.of("demo")),
                new Caller("otto", List.of("engineer", "reviewer"), List.of("demo")),
                new Caller("ada", List.of("admin", "reviewer"), List.of()))) {
            assertTrue(LiveFeed.visibleTo(verdict, sees), sees.user());
        }
    }

    @Test
    void shouldIgnoreNonJsonPayloads() {
        assertTrue(LiveFeed.toJson("not json") == null);
        assertTrue(LiveFeed.toJson("{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8)) != null);
    }
}
