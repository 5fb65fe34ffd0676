package dev.lookout.proberunner.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Pure logic of webhooks: URL rules, signatures, bodies, summaries and the backoff. */
class NotifyLogicTest {

    private static final WebhookUrls URLS = new WebhookUrls(List.of("hooks.slack.com", "127.0.0.1:40000-40010"), false);

    @Test
    void shouldAllowOnlyHttpsOnTheAllowlistAndNameTheSetting() {
        WebhookUrls.Checked ok = URLS.check("https://hooks.slack.com/services/T0/B0/xyz?x=1");
        assertEquals(443, ok.target().port());
        assertEquals("/services/T0/B0/xyz?x=1", ok.pathAndQuery());
        assertEquals("/", URLS.check("https://127.0.0.1:40005").pathAndQuery());
        String off = assertThrows(WebhookUrls.Refused.class, () -> URLS.check("https://hooks.slack.com:8443/x"))
                .getMessage();
        assertTrue(off.contains("'hooks.slack.com:8443'") && off.contains("lookout.webhooks.allowed-hosts"), off);
        assertTrue(assertThrows(WebhookUrls.Refused.class, () -> URLS.check("http://hooks.slack.com/x"))
                .getMessage().contains("https"));
        assertThrows(WebhookUrls.Refused.class, () -> URLS.check("https://evil.example/x"));
        assertThrows(WebhookUrls.Refused.class, () -> URLS.check("https://hooks.slack.com.evil.example/x"));
        assertThrows(WebhookUrls.Refused.class, () -> URLS.check("https://u:p@hooks.slack.com/x"));
        assertThrows(WebhookUrls.Refused.class, () -> URLS.check("https://hooks.slack.com/x#frag"));
        assertThrows(WebhookUrls.Refused.class, () -> URLS.check("https://127.0.0.1:5432/"));
        assertThrows(WebhookUrls.Refused.class, () -> URLS.check("not a url"));
        String empty = assertThrows(WebhookUrls.Refused.class,
                () -> new WebhookUrls(List.of(), true).check("https://hooks.slack.com/x")).getMessage();
        assertTrue(empty.contains("LOOKOUT_WEBHOOKS_ALLOWED_HOSTS"), empty);
        assertEquals("http://127.0.0.1:40001/x", new WebhookUrls(List.of("127.0.0.1:40001"), true)
                .check("http://127.0.0.1:40001/x").target().scheme() + "://127.0.0.1:40001/x");
        assertEquals("https://hooks.slack.com/…", WebhookUrls.origin("https://hooks.slack.com/services/T0/B0/xyz"));
    }

    @Test
    void shouldSignTheTimestampDotBodyWithHmacSha256() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        // computed independently: python3 -c 'import hmac,hashlib; print(hmac.new(b"k", b"1700000000." + b"{\"a\":1}",
        // hashlib.sha256).hexdigest())'
        assertEquals("t=1700000000,v1=1b6ad1bc9bf48c52ce01939866d5877c6cc4e87ddad27e16673cb8c4964394a3",
                WebhookSignature.header("k", 1700000000L, body));
        assertTrue(!WebhookSignature.hmacHex("k", 1700000001L, body).equals(WebhookSignature.hmacHex("k", 1700000000L, body)));
        String secret = WebhookSignature.newSecret();
        assertTrue(secret.matches("whsec_[0-9a-f]{64}"), secret);
        assertTrue(!secret.equals(WebhookSignature.newSecret()));
    }

    @Test
    void shouldRenderJsonAndSlackBodies() {
        UUID run = UUID.randomUUID();
        Notification n = new Notification("alarm.raised", UUID.randomUUID(), "2026-01-01T00:00:00Z", "demo",
                "Alarm on run 'a<b>&c'", run, "a<b>&c", null, 5L, null, Map.of("kind", "nan"));
        JsonObject json = new JsonObject(n.body("json", "https://lookout.example/"));
        assertEquals("https://lookout.example/#/runs/" + run, json.getString("link"));
        assertEquals("a<b>&c", json.getJsonObject("run").getString("name"));
        assertEquals(5L, json.getJsonObject("checkpoint").getLong("step"));
        assertEquals("nan", json.getJsonObject("details").getString("kind"));
        assertNull(new JsonObject(n.body("json", null)).getString("link"));
        JsonObject slack = new JsonObject(n.body("slack", "https://lookout.example"));
        assertEquals(1, slack.size());
        assertEquals("[Lookout · demo] Alarm on run 'a&lt;b&gt;&amp;c' <https://lookout.example/#/runs/" + run
                + "|Round report>", slack.getString("text"));
    }

    @Test
    void shouldSummariseEachEvent() {
        JsonObject alarm = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("project", "demo")
                .put("runId", UUID.randomUUID().toString()).put("kind", "spike").put("severity", "WARNING")
                .put("series", "train/loss").put("fromStep", 100).put("toStep", 140).put("message", "loss jumped");
        assertEquals("Alarm on run 'sft': warning spike on train/loss at steps 100–140 — loss jumped",
                EventNotifications.alarm(alarm, "sft").summary());
        JsonObject opened = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("project", "demo")
                .put("runId", UUID.randomUUID().toString()).put("step", 600).put("against", "previous")
                .put("baselineStep", 400).put("items", 12);
        assertEquals("Review needed: 12 answers of run 'sft' at step 600 against step 400",
                EventNotifications.reviewNeeded(opened, "sft").summary());
        assertNull(EventNotifications.reviewNeeded(opened.copy().put("items", 0), "sft"));
        JsonObject verdict = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("project", "demo")
                .put("winRate", 0.3).put("votes", 20).put("decided", true);
        assertEquals("Verdict decided for a review batch: the baseline wins; candidate 30% over 20 votes",
                EventNotifications.verdictDecided(verdict, null).summary());
        String reason = "x".repeat(1000);
        assertTrue(EventNotifications.probeRunFailed(UUID.randomUUID(), "demo", UUID.randomUUID(), null, null, null,
                null, reason).summary().length() < 400);
    }

    @Test
    void shouldBackOffExponentiallyWithJitterUpToTheCap() {
        NotifyConfig config = new TestConfig(Duration.ofSeconds(10), Duration.ofMinutes(1));
        WebhookDeliveryWorker worker = new WebhookDeliveryWorker(null, null, URLS, null, config);
        for (int i = 0; i < 50; i++) {
            long first = worker.backoffMs(1);
            assertTrue(first >= 5_000 && first <= 10_000, "attempt 1: " + first);
            long third = worker.backoffMs(3);
            assertTrue(third >= 20_000 && third <= 40_000, "attempt 3: " + third);
            long late = worker.backoffMs(40);
            assertTrue(late >= 30_000 && late <= 60_000, "capped: " + late);
        }
    }

    /** The settings the backoff reads; everything else at its default. */
    private record TestConfig(Duration backoffBase, Duration backoffMax) implements NotifyConfig {
        @Override
        public Optional<List<String>> allowedHosts() {
            return Optional.empty();
        }

        @Override
        public Optional<String> publicUrl() {
            return Optional.empty();
        }

        @Override
        public boolean allowHttp() {
            return false;
        }

        @Override
        public int maxAttempts() {
            return 8;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public int maxResponseBytes() {
            return 16384;
        }

        @Override
        public int maxBodyBytes() {
            return 65536;
        }

        @Override
        public String pollInterval() {
            return "1s";
        }

        @Override
        public int batchSize() {
            return 20;
        }
    }
}
