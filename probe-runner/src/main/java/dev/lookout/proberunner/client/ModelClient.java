package dev.lookout.proberunner.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.rest.Dtos.EndpointHealth;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/** Non-blocking OpenAI-compatible client (Vert.x WebClient); never follows redirects (SSRF guard). */
@ApplicationScoped
public class ModelClient {

    private static final int MAX_ERROR_BODY = 300;

    private final WebClient client;

    public ModelClient(Vertx vertx, ProbeRunnerConfig config) {
        WebClientOptions options = new WebClientOptions().setKeepAlive(true).setFollowRedirects(false)
                .setMaxPoolSize(config.calls().httpPoolSize()).setUserAgent("lookout-probe-runner")
                .setConnectTimeout(10_000);
        this.client = WebClient.create(vertx, options);
    }

    public Uni<CallOutcome> chat(CallContext ctx) {
        JsonObject body = ctx.body();
        if (ctx.stream()) {
            body = body.copy().put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
        }
        HttpRequest<Buffer> req = client.postAbs(ctx.baseUrl() + "/v1/chat/completions")
                .timeout(ctx.timeoutMs()).putHeader("Content-Type", "application/json")
                .putHeader("Accept", ctx.stream() ? "text/event-stream" : "application/json");
        if (ctx.apiKey() != null) {
            req.bearerTokenAuthentication(ctx.apiKey());
        }
        long start = System.nanoTime();
        return req.sendBuffer(Buffer.buffer(body.encode()))
                .ifNoItem().after(Duration.ofMillis(ctx.timeoutMs() + 1_000L)).failWith(TimeoutException::new)
                .map(resp -> classify(resp, elapsed(start)))
                .onFailure().recoverWithItem(t -> CallOutcome.retryable(describe(t, ctx.timeoutMs()), null,
                        elapsed(start)));
    }

    static CallOutcome classify(HttpResponse<Buffer> resp, long latencyMs) {
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
            try {
                String type = resp.getHeader("Content-Type");
                // stream: true was asked, or the server only streams: assemble the SSE chunks
                if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream")) {
                    return CallOutcome.success(SseAssembler.assemble(resp.bodyAsString()), latencyMs);
                }
                return CallOutcome.success(ChatCompletionParser.parse(resp.bodyAsString()), latencyMs);
            } catch (IllegalArgumentException e) {
                return CallOutcome.permanent("unreadable response: " + e.getMessage(), latencyMs);
            }
        }
        String error = "HTTP " + status + errorSnippet(resp);
        if (RetryPolicy.retryableStatus(status)) {
            return CallOutcome.retryable(error, RetryPolicy.parseRetryAfter(resp.getHeader("Retry-After"),
                    Instant.now()), latencyMs);
        }
        return CallOutcome.permanent(error, latencyMs);
    }

    public Uni<EndpointHealth> health(UUID id, String baseUrl, String apiKey, int timeoutMs) {
        HttpRequest<Buffer> req = client.getAbs(baseUrl + "/v1/models").timeout(Math.min(timeoutMs, 10_000));
        if (apiKey != null) {
            req.bearerTokenAuthentication(apiKey);
        }
        long start = System.nanoTime();
        return req.send().map(resp -> {
            long latency = elapsed(start);
            if (resp.statusCode() != 200) {
                return new EndpointHealth(id, "down", resp.statusCode(), List.of(), latency,
                        "HTTP " + resp.statusCode() + errorSnippet(resp));
            }
            List<String> models = new ArrayList<>();
            try {
                JsonArray data = resp.bodyAsJsonObject().getJsonArray("data", new JsonArray());
                for (Object o : data) {
                    if (o instanceof JsonObject m && m.getString("id") != null) {
                        models.add(m.getString("id"));
                    }
                }
            } catch (RuntimeException e) {
                return new EndpointHealth(id, "down", 200, List.of(), latency, "unreadable /v1/models response");
            }
            return new EndpointHealth(id, "up", 200, models, latency, null);
        }).onFailure().recoverWithItem(t -> new EndpointHealth(id, "down", null, List.of(), elapsed(start),
                describe(t, timeoutMs)));
    }

    private static String errorSnippet(HttpResponse<Buffer> resp) {
        String body = resp.bodyAsString();
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return ": " + (oneLine.length() > MAX_ERROR_BODY ? oneLine.substring(0, MAX_ERROR_BODY) + "…" : oneLine);
    }

    private static String describe(Throwable t, int timeoutMs) {
        if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException
                || t.getClass().getSimpleName().contains("Timeout")) {
            return "timed out after " + timeoutMs + " ms";
        }
        String msg = t.getMessage();
        return "connection failed" + (msg == null ? "" : ": " + msg);
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Our own hard timeout (the request timeout is an idle timeout). */
    static final class TimeoutException extends RuntimeException {
        TimeoutException() {
            super("timeout", null, false, false);
        }
    }
}
