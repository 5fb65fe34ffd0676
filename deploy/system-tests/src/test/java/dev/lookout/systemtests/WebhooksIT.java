package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * Webhooks end to end: a webhook on the demo project (through the gateway), then a checkpoint's probe run completes
 * and its review batch opens → the team's receiver gets signed {@code probe-run.completed} and {@code review.needed}
 * naming the run and linking to its round report; a NaN loss through ingest → {@code alarm.raised}.
 */
@ExtendWith(SystemExtension.class)
class WebhooksIT {

    private static final String SECRET = "webhooks-it-shared-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the receiver saw it. */
    record Received(String event, String delivery, String signature, String body) {
    }

    @Test
    void aTeamHearsOfCompletedRunsReviewsAndAlarmsThroughSignedWebhooks() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.WEBHOOK_RECEIVER), 16);
        receiver.createContext("/lookout", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("Lookout-Event"),
                        exchange.getRequestHeaders().getFirst("Lookout-Delivery"),
                        exchange.getRequestHeaders().getFirst("Lookout-Signature"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String hook = null;
        String job = Api.trainingJobToken();
        try {
            hook = Api.gateway(job).body(Map.of("url", "http://127.0.0.1:" + Ports.WEBHOOK_RECEIVER + "/lookout",
                            "events", List.of("probe-run.completed", "review.needed", "alarm.raised"),
                            "secret", SECRET))
                    .when().post("/api/projects/" + Seed.PROJECT + "/webhooks")
                    .then().statusCode(201).extract().path("id");

            String endpoint = Seed.unique("sim");
            Seed.endpoint(job, endpoint);
            String suite = Seed.unique("hooks");
            Seed.suite(job, suite);
            String runName = Seed.unique("hooks-sft");
            String run = Seed.run(job, runName, endpoint, suite);
            Seed.checkpoint(job, run, 400, endpoint);
            String probeRun = (String) Seed.awaitProbeRunsCompleted(run, 1).get(0).get("id");
            Seed.awaitReviewBatch(null, Seed.PROJECT, probeRun);

            JsonNode completed = awaitBody(received, "probe-run.completed", run);
            assertEquals(probeRun, completed.path("probeRunId").asText());
            assertEquals("completed", completed.path("details").path("status").asText());
            assertEquals(runName, completed.path("run").path("name").asText(), completed.toString());
            assertEquals(400, completed.path("checkpoint").path("step").asInt());
            assertEquals(SystemUnderTest.GATEWAY_URL + "/#/runs/" + run, completed.path("link").asText());
            JsonNode review = awaitBody(received, "review.needed", run);
            assertEquals(probeRun, review.path("probeRunId").asText());
            assertTrue(review.path("summary").asText().startsWith("Review needed: "), review.toString());

            // a NaN training loss raises an alarm in ingest-service, which the webhook hears of
            Api.gateway(job).body(Map.of("points", List.of(
                            Map.of("name", "train/loss", "step", 10, "value", 2.5),
                            Map.of("name", "train/loss", "step", 20, "value", "NaN"))))
                    .when().post("/api/runs/" + run + "/metrics").then().statusCode(200);
            JsonNode alarm = awaitBody(received, "alarm.raised", run);
            assertTrue(alarm.path("summary").asText().startsWith("Alarm on run '" + runName + "'"), alarm.toString());

            for (Received r : received) {
                assertSigned(r);
            }
            String log = Api.gateway(job).when()
                    .get("/api/projects/" + Seed.PROJECT + "/webhooks/" + hook + "/deliveries")
                    .then().statusCode(200).extract().asString();
            assertTrue(log.contains("\"state\":\"delivered\""), log);
        } finally {
            receiver.stop(0);
            if (hook != null) {
                Api.gateway(job).when().delete("/api/projects/" + Seed.PROJECT + "/webhooks/" + hook)
                        .then().statusCode(204);
            }
        }
    }

    /** Waits for the receiver to get {@code event} about {@code run}; returns the parsed body. */
    private static JsonNode awaitBody(List<Received> received, String event, String run) {
        return await(event + " of run " + run).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> find(received, event, run), Optional::isPresent).orElseThrow();
    }

    private static Optional<JsonNode> find(List<Received> received, String event, String run) throws IOException {
        for (Received r : received) {
            if (event.equals(r.event())) {
                JsonNode body = JSON.readTree(r.body());
                if (run.equals(body.path("run").path("id").asText())) {
                    return Optional.of(body);
                }
            }
        }
        return Optional.empty();
    }

    /** Verifies the signature the way the README tells a receiver to, independently of Lookout's code. */
    private static void assertSigned(Received r) throws Exception {
        assertNotNull(r.signature(), "signature of " + r);
        assertNotNull(r.delivery(), "delivery id of " + r);
        String[] parts = r.signature().split(",");
        String t = parts[0].substring("t=".length());
        assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) < 600, r.signature());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        assertTrue(MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts[1].substring("v1=".length()))),
                "signature of " + r.event() + " verifies");
    }
}
