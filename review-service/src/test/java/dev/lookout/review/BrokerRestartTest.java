package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.lookout.review.ReviewFixtures.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker outage longer than the connector's old reconnect interval (10 s): the real broker is stopped with
 * {@code rabbitmqctl stop_app} and started again. The service's consumer (probe-run.completed) and producer
 * (verdict.updated, through the outbox) work again within seconds, and a vote cast during the outage is announced.
 * It stops the shared broker: run it holding /tmp/lookout-system.lock as well as the module's lock.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class BrokerRestartTest {

    private static final List<String> CHANNELS = List.of("mp.messaging.incoming.probe-run-completed",
            "mp.messaging.outgoing.review-events");

    @OidcWireMock
    WireMockServer wireMock;

    @BeforeEach
    void stubs() {
        ReviewFixtures.stubTokenEndpoint(wireMock);
    }

    @Test
    void everyChannelReconnectsWithoutLimitEverySecond() {
        Config config = ConfigProvider.getConfig();
        assertEquals(Integer.MAX_VALUE, config.getValue("rabbitmq-reconnect-attempts", Integer.class));
        assertEquals(1, config.getValue("rabbitmq-reconnect-interval", Integer.class));
        for (String channel : CHANNELS) {
            for (String attribute : List.of("reconnect-attempts", "reconnect-interval")) {
                assertTrue(config.getOptionalValue(channel + "." + attribute, String.class).isEmpty(),
                        channel + " overrides " + attribute);
            }
        }
    }

    @Test
    void consumersAndProducersWorkAgainSoonAfterALongOutage() throws Exception {
        String project = ReviewFixtures.project();
        ReviewFixtures.changedBatch(wireMock, project, 2, 1);
        String queue = "test-review.broker-restart." + UUID.randomUUID();
        try (Connection connection = ReviewFixtures.rabbit(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, Map.of());
            channel.queueBind(queue, ReviewFixtures.REVIEW_EVENTS, "verdict.updated");
        }
        try {
            rabbitmqctl("stop_app");
            // a vote during the outage is stored (its event waits in the outbox)
            Response task = ReviewFixtures.next("rita", project);
            as("rita", "reviewer", project).contentType("application/json").body("{\"choice\":\"A\",\"tags\":[]}")
                    .post("/api/reviews/" + task.jsonPath().getString("taskId") + "/vote").then().statusCode(200);
            // the outage lasts longer than the old reconnect interval, and readiness says so all along
            await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> readiness() == 503);
        } finally {
            rabbitmqctl("start_app");
        }
        // failure bounds only: the channels retry every second, so both come back within a few
        await().atMost(Duration.ofSeconds(20)).until(() -> readiness() == 200);
        UUID probeRun = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, run, null, 400, ReviewFixtures.comparison(project, 3));
        try (Connection connection = ReviewFixtures.rabbit(); Channel channel = connection.createChannel()) {
            ReviewFixtures.publish(channel, ReviewFixtures.PROBE_RUNNER_EVENTS, "probe-run.completed",
                    ReviewFixtures.probeRunCompleted(UUID.randomUUID(), project, probeRun, run));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    as("vic", "viewer", project).get("/api/review-batches?project=" + project)
                            .then().statusCode(200).body("$", hasSize(2)));
            AtomicReference<JsonObject> verdict = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                GetResponse message;
                while ((message = channel.basicGet(queue, true)) != null) {
                    JsonObject event = new JsonObject(new String(message.getBody(), StandardCharsets.UTF_8));
                    if (project.equals(event.getString("project"))) {
                        verdict.set(event);
                    }
                }
                return verdict.get() != null;
            });
            assertEquals("verdict.updated", verdict.get().getString("type"));
            // rita's one vote (candidate or baseline side, shown blind as A)
            assertEquals(1L, verdict.get().getLong("wins") + verdict.get().getLong("losses"), verdict.get().encode());
            channel.queueDelete(queue);
        }
    }

    private static int readiness() {
        return given().get("/q/health/ready").statusCode();
    }

    /** Runs rabbitmqctl on the local broker; start_app waits until the broker runs. */
    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "rabbitmqctl " + command + " did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "rabbitmqctl " + command + ": " + output);
    }
}
