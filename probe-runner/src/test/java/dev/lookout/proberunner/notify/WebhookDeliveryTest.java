package dev.lookout.proberunner.notify;

import static dev.lookout.proberunner.ProbeRunnerFixtures.amqp;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.token;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Events published on the real broker reach a local receiver as signed POSTs: signature checked by an independent
 * implementation, retries then success, failed after N attempts, dedupe of redelivered events, Slack format, verdicts
 * only when they turn decided, failed probe runs.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookDeliveryTest {

    @jakarta.inject.Inject
    WebhookEventConsumer consumer;

    /** Publishes run.created and waits until its name is stored (it travels on another queue than the events). */
    private void runCreated(String project, String runId, String name) throws Exception {
        publish("test.ingest.events", event("run.created", project).put("runId", runId).put("runName", name));
        Awaitility.await().atMost(WAIT).until(() -> name.equals(io.quarkus.narayana.jta.QuarkusTransaction
                .requiringNew().call(() -> consumer.runName(UUID.fromString(runId)))));
    }

    private static final String SECRET = "receiver-shared-secret-42";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String hook(String project, String url, List<String> events, String format) {
        return as(engineer(project)).body(Map.of("url", url, "events", events, "format", format, "secret", SECRET))
                .post("/api/projects/" + project + "/webhooks").then().statusCode(201).extract().path("id");
    }

    private static String engineer(String project) {
        return token("eve", List.of("engineer"), project);
    }

    private static JsonPath deliveries(String project, String hook) {
        return as(engineer(project)).get("/api/projects/" + project + "/webhooks/" + hook + "/deliveries")
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonObject event(String type, String project) {
        return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", type).put("version", 1)
                .put("occurredAt", Instant.now().toString()).put("project", project).put("someFutureField", 1);
    }

    private static JsonObject probeRunCompleted(String project, String runId) {
        return event("probe-run.completed", project).put("probeRunId", UUID.randomUUID().toString())
                .put("runId", runId).put("checkpointId", UUID.randomUUID().toString()).put("step", 400)
                .put("suiteVersionId", UUID.randomUUID().toString())
                .put("candidate", new JsonObject().put("endpoint", "sim").put("model", "ckpt-400"))
                .put("baseline", new JsonObject().put("endpoint", "sim").put("model", "base"))
                .put("total", 12).put("errors", 0);
    }

    private static void publish(String exchange, JsonObject event) throws Exception {
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            channel.basicPublish(exchange, event.getString("type"), new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).messageId(event.getString("eventId")).build(),
                    event.encode().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The receiver's check, written from the README's description alone (not Lookout's code). */
    private static void assertSigned(Receiver.Request r) throws Exception {
        String header = r.header("Lookout-Signature");
        assertNotNull(header, "signature header");
        String[] parts = header.split(",");
        assertEquals(2, parts.length, header);
        assertTrue(parts[0].startsWith("t=") && parts[1].startsWith("v1="), header);
        String t = parts[0].substring(2);
        long age = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t));
        assertTrue(age < 300, "timestamp within 5 minutes: " + t);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        assertTrue(MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts[1].substring(3))),
                "signature verifies: " + header);
        // and a tampered body does not
        byte[] tampered = mac.doFinal((t + "." + r.body() + " ").getBytes(StandardCharsets.UTF_8));
        assertFalse(MessageDigest.isEqual(tampered, HexFormat.of().parseHex(parts[1].substring(3))));
    }

    /** Runs the README's Python verification snippet (stdlib only) on a received request; prints True or False. */
    private static String readmeVerify(String header, String body) throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        int section = readme.indexOf("### Verifying signatures");
        int start = readme.indexOf("```python\n", section) + "```python\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        java.nio.file.Path bodyFile = java.nio.file.Files.createTempFile("webhook-body", ".json");
        try {
            java.nio.file.Files.writeString(bodyFile, body);
            Process p = new ProcessBuilder("python3", "-c", snippet
                    + "\nimport sys\nprint(verify(sys.argv[1], sys.argv[2], open(sys.argv[3], 'rb').read()))",
                    SECRET, header, bodyFile.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), out);
            return out;
        } finally {
            java.nio.file.Files.delete(bodyFile);
        }
    }

    @Test
    void shouldDeliverASignedProbeRunCompletedOnceEvenWhenTheEventIsRedelivered() throws Exception {
        String project = unique("hooks");
        try (Receiver receiver = Receiver.ok()) {
            String hook = hook(project, receiver.url("/team/hook?channel=ml"), List.of("probe-run.completed"), "json");
            String runId = UUID.randomUUID().toString();
            runCreated(project, runId, "sft-7");
            JsonObject completed = probeRunCompleted(project, runId);
            publish("test.probe-runner.events", completed);
            publish("test.probe-runner.events", completed); // redelivered: no second delivery
            JsonObject marker = probeRunCompleted(project, runId);
            publish("test.probe-runner.events", marker); // processed after the duplicate (one ordered consumer)

            Awaitility.await().atMost(WAIT).until(() -> receiver.requests().size() >= 2);
            List<Receiver.Request> got = receiver.requests();
            assertEquals(2, got.size(), got.toString());
            Receiver.Request first = got.stream()
                    .filter(r -> r.body().contains(completed.getString("eventId"))).findFirst().orElseThrow();
            assertSigned(first);
            assertEquals("True", readmeVerify(first.header("Lookout-Signature"), first.body()));
            assertEquals("False", readmeVerify(first.header("Lookout-Signature"), first.body().replace("sft-7", "sft-8")));
            assertEquals("/team/hook?channel=ml", first.path());
            assertEquals("probe-run.completed", first.header("Lookout-Event"));
            assertEquals("application/json", first.header("Content-Type"));
            JsonObject body = new JsonObject(first.body());
            assertEquals("probe-run.completed", body.getString("type"));
            assertEquals(project, body.getString("project"));
            assertEquals(completed.getString("eventId"), body.getString("eventId"));
            assertEquals(runId, body.getJsonObject("run").getString("id"));
            assertEquals("sft-7", body.getJsonObject("run").getString("name"));
            assertEquals(400L, body.getJsonObject("checkpoint").getLong("step"));
            assertEquals(completed.getString("probeRunId"), body.getString("probeRunId"));
            assertEquals("completed", body.getJsonObject("details").getString("status"));
            assertEquals("https://lookout.example/#/runs/" + runId, body.getString("link"));
            assertEquals("Probe run of run 'sft-7' at step 400 completed: 12 answers, 0 errors (sim/ckpt-400 vs sim/base)",
                    body.getString("summary"));

            JsonPath log = deliveries(project, hook);
            assertEquals(2, log.getList("$").size(), log.prettify());
            String deliveryId = first.header("Lookout-Delivery");
            Map<String, Object> row = log.getMap("find { it.id == '" + deliveryId + "' }");
            assertNotNull(row, log.prettify());
            assertEquals("delivered", row.get("state"));
            assertEquals(1, row.get("attempts"));
            assertEquals(200, row.get("lastStatus"));
            assertEquals(completed.getString("eventId"), row.get("eventId"));
            assertNotNull(row.get("deliveredAt"));
        }
    }

    @Test
    void shouldRetryWithBackoffUntilTheReceiverAnswers2xx() throws Exception {
        String project = unique("hooks");
        try (Receiver receiver = new Receiver(n -> n <= 2 ? 500 : 204)) {
            String hook = hook(project, receiver.url("/flaky"), List.of("alarm.raised"), "json");
            publish("test.ingest.events", event("alarm.raised", project).put("runId", UUID.randomUUID().toString())
                    .put("alarmId", UUID.randomUUID().toString()).put("kind", "nan").put("severity", "CRITICAL")
                    .put("series", "train/loss").put("fromStep", 120).put("toStep", 120)
                    .put("message", "train/loss is NaN at step 120"));
            Awaitility.await().atMost(WAIT).until(() -> "delivered".equals(deliveries(project, hook).get("[0].state")));
            JsonPath log = deliveries(project, hook);
            assertEquals(1, log.getList("$").size());
            assertEquals(3, log.getInt("[0].attempts"));
            assertEquals(204, log.getInt("[0].lastStatus"));
            List<Receiver.Request> got = receiver.requests();
            assertEquals(3, got.size());
            // every attempt is the same delivery with the same body, signed afresh
            assertEquals(1, got.stream().map(r -> r.header("Lookout-Delivery")).distinct().count());
            assertEquals(1, got.stream().map(Receiver.Request::body).distinct().count());
            for (Receiver.Request r : got) {
                assertSigned(r);
            }
            assertTrue(got.get(0).body().contains("critical nan on train/loss at steps 120"), got.get(0).body());
        }
    }

    @Test
    void shouldMarkFailedAfterTheLastAttemptWithoutEchoingTheReceiversBody() throws Exception {
        String project = unique("hooks");
        try (Receiver receiver = new Receiver(n -> 503)) {
            String hook = hook(project, receiver.url("/down"), List.of("alarm.raised"), "json");
            as(engineer(project)).post("/api/projects/" + project + "/webhooks/" + hook + "/test").then()
                    .statusCode(202);
            Awaitility.await().atMost(WAIT).until(() -> "failed".equals(deliveries(project, hook).get("[0].state")));
            JsonPath log = deliveries(project, hook);
            assertEquals("webhook.test", log.getString("[0].eventType"));
            assertEquals(3, log.getInt("[0].attempts"), "lookout.webhooks.max-attempts in tests");
            assertEquals(503, log.getInt("[0].lastStatus"));
            assertEquals("the receiver answered HTTP 503", log.getString("[0].lastError"));
            assertFalse(log.prettify().contains(Receiver.UPSTREAM_BODY));
            assertEquals(3, receiver.requests().size());
        }
    }

    @Test
    void shouldSendSlackTextForReviewNeededAndOnlyDecidedVerdictTurns() throws Exception {
        String project = unique("hooks");
        try (Receiver receiver = Receiver.ok()) {
            String hook = hook(project, receiver.url("/slack"), List.of("review.needed", "verdict.updated"), "slack");
            String runId = UUID.randomUUID().toString();
            String batch = UUID.randomUUID().toString();
            runCreated(project, runId, "dpo-<3>");
            publish("test.review.events", event("review-batch.opened", project).put("batchId", batch)
                    .put("probeRunId", UUID.randomUUID().toString()).put("runId", runId).put("step", 600)
                    .put("against", "base").put("items", 9)
                    .put("candidate", new JsonObject().put("endpoint", "sim").put("model", "ckpt-600"))
                    .put("baseline", new JsonObject().put("endpoint", "sim").put("model", "base")));
            publish("test.review.events", event("review-batch.opened", project).put("batchId", UUID.randomUUID()
                    .toString()).put("runId", runId).put("items", 0)); // nothing to review: no notification
            JsonObject verdict = event("verdict.updated", project).put("batchId", batch).put("runId", runId)
                    .put("wins", 7).put("losses", 2).put("ties", 1).put("votes", 10).put("winRate", 0.75)
                    .put("low", 0.6).put("high", 0.86);
            publish("test.review.events", verdict.copy().put("eventId", UUID.randomUUID().toString())
                    .put("decided", false));
            publish("test.review.events", verdict.copy().put("eventId", UUID.randomUUID().toString())
                    .put("decided", true));
            publish("test.review.events", verdict.copy().put("eventId", UUID.randomUUID().toString())
                    .put("decided", true)); // still decided: no second notification
            String marker = UUID.randomUUID().toString();
            publish("test.review.events", event("review-batch.opened", project).put("batchId", marker)
                    .put("items", 1)); // consumed after the verdicts (one ordered queue): their rows exist by then
            as(engineer(project)).post("/api/projects/" + project + "/webhooks/" + hook + "/test").then()
                    .statusCode(202);

            Awaitility.await().atMost(WAIT).until(() -> deliveries(project, hook).getList("$").size() >= 4
                    && receiver.requests().size() >= 4);
            assertEquals(4, deliveries(project, hook).getList("$").size(), deliveries(project, hook).prettify());
            List<Receiver.Request> got = receiver.requests();
            assertEquals(4, got.size(), got.toString());
            Map<String, String> byEvent = new java.util.HashMap<>();
            for (Receiver.Request r : got) {
                assertSigned(r);
                JsonObject body = new JsonObject(r.body());
                assertEquals(List.of("text"), List.copyOf(body.fieldNames()), r.body());
                if (!body.getString("text").contains("a review batch")) { // the marker
                    byEvent.put(r.header("Lookout-Event"), body.getString("text"));
                }
            }
            assertEquals(java.util.Set.of("review.needed", "verdict.updated", "webhook.test"), byEvent.keySet());
            assertEquals("[Lookout · " + project + "] Review needed: 9 answers of run 'dpo-&lt;3&gt;' at step 600 "
                    + "against the baseline (sim/ckpt-600 vs sim/base) <https://lookout.example/#/runs/" + runId
                    + "|Round report>", byEvent.get("review.needed"));
            assertTrue(byEvent.get("verdict.updated").contains("the candidate wins 75% (95% CI 60–86%) over 10 votes"),
                    byEvent.get("verdict.updated"));
            assertTrue(byEvent.get("webhook.test").startsWith("[Lookout · " + project + "] Test notification"),
                    byEvent.get("webhook.test"));
        }
    }

    @Test
    void shouldTellAboutAProbeRunThatFailedToStart() throws Exception {
        String project = unique("hooks");
        try (Receiver receiver = Receiver.ok()) {
            hook(project, receiver.url("/runs"), List.of("probe-run.completed"), "json");
            String runId = UUID.randomUUID().toString();
            publish("test.ingest.events", event("checkpoint.registered", project).put("runId", runId)
                    .put("runName", "lora-3").put("checkpointId", UUID.randomUUID().toString()).put("step", 200)
                    .put("suite", "no-such-suite")
                    .put("target", new JsonObject().put("endpoint", "no-such-endpoint").put("model", "m"))
                    .put("baseline", new JsonObject().put("endpoint", "no-such-endpoint").put("model", "base")));
            Awaitility.await().atMost(WAIT).until(() -> receiver.requests().size() >= 1);
            JsonObject body = new JsonObject(receiver.requests().get(0).body());
            assertEquals("probe-run.completed", body.getString("type"));
            assertEquals("failed", body.getJsonObject("details").getString("status"));
            assertTrue(body.getJsonObject("details").getString("failureReason").contains("no-such-suite"),
                    body.encodePrettily());
            // the run's name when ingest's event was consumed first (another queue), else its id
            assertTrue(body.getString("summary").matches("Probe run of run ('lora-3'|" + runId + ") at step 200 "
                    + "failed: .*no-such-suite.*"), body.getString("summary"));
            as(token("vic", List.of("viewer"), project)).get("/api/probe-runs?project=" + project).then()
                    .statusCode(200).body("$", hasSize(1)).body("[0].status", equalTo("failed"));
        }
    }
}
