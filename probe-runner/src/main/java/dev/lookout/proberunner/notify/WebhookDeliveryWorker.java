package dev.lookout.proberunner.notify;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lookout.proberunner.client.EndpointAllowlist;
import dev.lookout.proberunner.client.WebhookHttp;
import dev.lookout.proberunner.service.SecretCipher;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Sends due deliveries. Each round claims up to {@code batch-size} pending rows of enabled webhooks whose time has
 * come ({@code FOR UPDATE SKIP LOCKED}, then pushes their {@code next_attempt_at} past the send deadline and counts the
 * attempt, and commits: a second instance skips them, and a crash mid-send makes them due again), POSTs them
 * concurrently, and records each outcome: 2xx → delivered; otherwise a retry after a capped exponential backoff with
 * jitter, or failed after {@code max-attempts}. Runs on the scheduler's worker thread, never a request thread.
 */
@ApplicationScoped
public class WebhookDeliveryWorker {

    private static final Logger LOG = Logger.getLogger(WebhookDeliveryWorker.class);

    /** A claimed delivery with what sending it needs. */
    record Claimed(UUID id, UUID webhookId, String eventType, String body, int attempts, String url,
            String secretEnc) {
    }

    /** The outcome of one attempt: a status code (may be null) and an error sentence of ours (null when 2xx). */
    record Outcome(Integer status, String error, boolean permanent) {
        boolean delivered() {
            return error == null;
        }
    }

    private final DataSource dataSource;
    private final WebhookHttp http;
    private final WebhookUrls urls;
    private final SecretCipher cipher;
    private final NotifyConfig config;

    public WebhookDeliveryWorker(DataSource dataSource, WebhookHttp http, WebhookUrls urls, SecretCipher cipher,
            NotifyConfig config) {
        this.dataSource = dataSource;
        this.http = http;
        this.urls = urls;
        this.cipher = cipher;
        this.config = config;
    }

    @Scheduled(every = "${lookout.webhooks.poll-interval:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            int sent;
            do {
                sent = round();
            } while (sent == config.batchSize());
        } catch (RuntimeException e) {
            LOG.warnf("webhook deliveries: round failed, will retry: %s", e.getMessage());
        }
    }

    /** Claims, sends and records one batch; returns how many were claimed. */
    int round() {
        List<Claimed> claimed = claim();
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Uni<Outcome>> sends = claimed.stream().map(this::send).toList();
        long deadline = config.timeout().toMillis() + 5_000;
        List<Outcome> outcomes = Uni.join().all(sends).andCollectFailures().await()
                .atMost(Duration.ofMillis(deadline));
        for (int i = 0; i < claimed.size(); i++) {
            record(claimed.get(i), outcomes.get(i));
        }
        return claimed.size();
    }

    List<Claimed> claim() {
        // past the deadline of this round: nobody else picks these rows while they are being sent
        long leaseMs = config.timeout().toMillis() * 2 + 10_000;
        String sql = """
                with due as (
                  select d.id from webhook_deliveries d join webhooks w on w.id = d.webhook_id
                  where d.state = 'pending' and d.next_attempt_at <= now() and w.enabled
                  order by d.next_attempt_at limit ? for update of d skip locked)
                update webhook_deliveries d set attempts = d.attempts + 1, updated_at = now(),
                  next_attempt_at = now() + make_interval(secs => ?)
                from due, webhooks w where d.id = due.id and w.id = d.webhook_id
                returning d.id, d.webhook_id, d.event_type, d.body, d.attempts, w.url, w.secret_enc
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, config.batchSize());
            ps.setDouble(2, leaseMs / 1000.0);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** One signed POST; never fails (a failure is an outcome). Resolving the host blocks: this runs on a worker. */
    Uni<Outcome> send(Claimed d) {
        long timeoutMs = config.timeout().toMillis();
        EndpointAllowlist.Pinned pinned;
        WebhookUrls.Checked checked;
        String secret;
        try {
            checked = urls.check(d.url());
            pinned = urls.allowlist().resolve(checked.target());
            secret = cipher.decrypt(d.secretEnc(), d.webhookId()).plaintext();
        } catch (WebhookUrls.Refused | EndpointAllowlist.Refused e) {
            return Uni.createFrom().item(new Outcome(null, "refused: " + e.getMessage(), true));
        } catch (java.net.UnknownHostException e) {
            return Uni.createFrom().item(new Outcome(null, "could not resolve the receiver's host name", false));
        } catch (IllegalStateException e) {
            return Uni.createFrom().item(new Outcome(null, "the webhook secret cannot be decrypted", true));
        }
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis() / 1000;
        Map<String, String> headers = Map.of("Lookout-Event", d.eventType(), "Lookout-Delivery", d.id().toString(),
                WebhookSignature.HEADER, WebhookSignature.header(secret, now, body));
        return http.post(pinned, checked.pathAndQuery(), headers, body, timeoutMs, config.maxResponseBytes())
                .map(reply -> reply.status() >= 200 && reply.status() < 300 ? new Outcome(reply.status(), null, false)
                        : new Outcome(reply.status(), "the receiver answered HTTP " + reply.status(), false))
                .onFailure().recoverWithItem(t -> new Outcome(null, WebhookHttp.describe(t, timeoutMs), false));
    }

    void record(Claimed d, Outcome o) {
        String state;
        Long retryInMs = null;
        if (o.delivered()) {
            state = "delivered";
        } else if (o.permanent() || d.attempts() >= config.maxAttempts()) {
            state = "failed";
        } else {
            state = "pending";
            retryInMs = backoffMs(d.attempts());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update webhook_deliveries set state = ?, last_status = ?, last_error = ?, updated_at = now(),
                  delivered_at = case when ? then now() end,
                  next_attempt_at = case when ? then now() + make_interval(secs => ?) end
                where id = ?
                """)) {
            ps.setString(1, state);
            if (o.status() == null) {
                ps.setNull(2, java.sql.Types.INTEGER);
            } else {
                ps.setInt(2, o.status());
            }
            ps.setString(3, o.error());
            ps.setBoolean(4, o.delivered());
            ps.setBoolean(5, retryInMs != null);
            ps.setDouble(6, retryInMs == null ? 0 : retryInMs / 1000.0);
            ps.setObject(7, d.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!o.delivered()) {
            LOG.infof("webhook %s delivery %s (%s) attempt %d: %s → %s", d.webhookId(), d.id(), d.eventType(),
                    d.attempts(), o.error(), state);
        }
    }

    /** Before attempt {@code attempts + 1}: base × 2^(attempts-1), capped, minus up to half of it as jitter. */
    long backoffMs(int attempts) {
        long base = config.backoffBase().toMillis();
        long max = config.backoffMax().toMillis();
        long wait = Math.min(max, base << Math.min(30, Math.max(0, attempts - 1)));
        return wait - ThreadLocalRandom.current().nextLong(wait / 2 + 1);
    }
}
