package dev.lookout.proberunner.client;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.client.EndpointAllowlist.Pinned;
import dev.lookout.proberunner.client.EndpointAllowlist.Refused;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.HealthReport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

/**
 * Non-blocking OpenAI-compatible client (Vert.x core HTTP client). Each call is checked against the allowlist again
 * and connects to the one address resolved for it ({@link EndpointAllowlist}); it never follows redirects. An answer
 * is read up to the endpoint's byte cap, and the exchange is aborted at the call's deadline: in both cases the
 * connection is closed before the outcome is reported, so the endpoint slot and the socket are released together.
 * Errors are Lookout's own sentences (status code, timeout, connection): a model server's body is never echoed.
 */
@ApplicationScoped
public class ModelClient {

    /** finish_reason stored for an answer cut off at the byte cap. */
    public static final String TRUNCATED = "truncated";
    private static final int HEALTH_TIMEOUT_MS = 10_000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final HttpClient http;
    private final EndpointAllowlist allowlist;
    private final int defaultMaxResponseBytes;

    public ModelClient(Vertx vertx, ProbeRunnerConfig config, EndpointAllowlist allowlist) {
        this.vertx = vertx;
        this.allowlist = allowlist;
        this.defaultMaxResponseBytes = config.endpoints().maxResponseBytes();
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setConnectTimeout(CONNECT_TIMEOUT_MS);
        this.http = vertx.createHttpClient(options,
                new PoolOptions().setHttp1MaxSize(config.calls().httpPoolSize()));
    }

    /** The byte cap of a call: the endpoint's own, else the configured default. */
    int cap(int endpointMax) {
        return endpointMax > 0 ? endpointMax : defaultMaxResponseBytes;
    }

    public Uni<CallOutcome> chat(CallContext ctx) {
        JsonObject body = ctx.body();
        if (ctx.stream()) {
            body = body.copy().put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
        }
        int cap = cap(ctx.maxResponseBytes());
        long start = System.nanoTime();
        Buffer payload = Buffer.buffer(body.encode());
        return pin(ctx.baseUrl())
                .chain(to -> request(to, HttpMethod.POST, "/v1/chat/completions", payload, ctx.apiKey(),
                        ctx.stream() ? "text/event-stream" : "application/json", ctx.timeoutMs(), cap))
                .map(reply -> classify(reply, elapsed(start), cap))
                .onFailure(Refused.class).recoverWithItem(t -> CallOutcome.permanent(t.getMessage(), elapsed(start)))
                .onFailure().recoverWithItem(t -> CallOutcome.retryable(describe(t, ctx.timeoutMs()), null,
                        elapsed(start)));
    }

    static CallOutcome classify(HttpExchange.Reply reply, long latencyMs, int cap) {
        int status = reply.status();
        if (status >= 200 && status < 300) {
            if (reply.truncated()) {
                return CallOutcome.truncated("the answer was longer than " + cap
                        + " bytes (the endpoint's maxResponseBytes) and was cut off", latencyMs);
            }
            try {
                String type = reply.contentType();
                // stream: true was asked, or the server only streams: assemble the SSE chunks
                if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                    return CallOutcome.success(SseAssembler.assemble(reply.body().toString()), latencyMs);
                }
                return CallOutcome.success(ChatCompletionParser.parse(reply.body().toString()), latencyMs);
            } catch (IllegalArgumentException e) {
                return CallOutcome.permanent("unreadable response: " + e.getMessage(), latencyMs);
            }
        }
        String error = "the model server answered HTTP " + status;
        if (RetryPolicy.retryableStatus(status)) {
            return CallOutcome.retryable(error, RetryPolicy.parseRetryAfter(reply.retryAfter(), Instant.now()),
                    latencyMs);
        }
        return CallOutcome.permanent(error, latencyMs);
    }

    /** GET /v1/models: up with the model ids, or down with a status code and a sentence (never the server's body). */
    public Uni<HealthReport> health(UUID id, String baseUrl, String apiKey, int timeoutMs, int maxResponseBytes) {
        long start = System.nanoTime();
        int timeout = Math.min(timeoutMs, HEALTH_TIMEOUT_MS);
        return pin(baseUrl)
                .chain(to -> request(to, HttpMethod.GET, "/v1/models", null, apiKey, "application/json", timeout,
                        cap(maxResponseBytes)))
                .map(reply -> healthOf(id, reply, elapsed(start)))
                .onFailure().recoverWithItem(t -> new HealthReport(id, "down", null, List.of(), elapsed(start),
                        t instanceof Refused ? t.getMessage() : describe(t, timeout)));
    }

    /**
     * GET /v1/models: model id → {@code root} (vLLM: the path the weights or adapter were loaded from) of the entries
     * that report one; empty when the server does not answer, answers an error, or reports no roots.
     */
    public Uni<Map<String, String>> weightsRoots(String baseUrl, String apiKey, int timeoutMs, int maxResponseBytes) {
        return pin(baseUrl)
                .chain(to -> request(to, HttpMethod.GET, "/v1/models", null, apiKey, "application/json", timeoutMs,
                        cap(maxResponseBytes)))
                .map(ModelClient::rootsOf)
                .onFailure().recoverWithItem(t -> Map.of());
    }

    static Map<String, String> rootsOf(HttpExchange.Reply reply) {
        if (reply.status() != 200 || reply.truncated()) {
            return Map.of();
        }
        Map<String, String> roots = new HashMap<>();
        try {
            for (Object o : new JsonObject(reply.body()).getJsonArray("data", new JsonArray())) {
                if (o instanceof JsonObject m && m.getValue("id") instanceof String id
                        && m.getValue("root") instanceof String root && !root.isBlank()) {
                    roots.put(id, root);
                }
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return roots;
    }

    private static HealthReport healthOf(UUID id, HttpExchange.Reply reply, long latency) {
        if (reply.status() != 200) {
            return new HealthReport(id, "down", reply.status(), List.of(), latency,
                    "the model server answered HTTP " + reply.status());
        }
        if (reply.truncated()) {
            return new HealthReport(id, "down", 200, List.of(), latency, "the /v1/models answer is too long");
        }
        List<String> models = new ArrayList<>();
        try {
            JsonArray data = new JsonObject(reply.body()).getJsonArray("data", new JsonArray());
            for (Object o : data) {
                if (o instanceof JsonObject m && m.getString("id") != null) {
                    models.add(m.getString("id"));
                }
            }
        } catch (RuntimeException e) {
            return new HealthReport(id, "down", 200, List.of(), latency, "unreadable /v1/models response");
        }
        return new HealthReport(id, "up", 200, models, latency, null);
    }

    /** Allowlist check now (the configuration may have changed since the endpoint was registered), then one lookup. */
    Uni<Pinned> pin(String baseUrl) {
        EndpointAllowlist.Target target;
        try {
            target = allowlist.check(baseUrl);
        } catch (Refused e) {
            return Uni.createFrom().failure(e);
        }
        if (target.literal() != null) {
            return Uni.createFrom().item(new Pinned(target, target.literal()));
        }
        return Uni.createFrom().item(() -> {
            try {
                return allowlist.resolve(target);
            } catch (UnknownHostException e) {
                throw new UnresolvedException(target.host());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    Uni<HttpExchange.Reply> request(Pinned to, HttpMethod method, String path, Buffer payload, String apiKey,
            String accept, long timeoutMs, int cap) {
        EndpointAllowlist.Target t = to.target();
        RequestOptions options = new RequestOptions().setMethod(method)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(to.address(), t.port())))
                .setHost(t.host()).setPort(t.port()).setSsl(t.ssl()).setURI(t.path() + path)
                .setFollowRedirects(false).setConnectTimeout(Math.min(timeoutMs, CONNECT_TIMEOUT_MS))
                .putHeader(HttpHeaders.ACCEPT, accept)
                .putHeader(HttpHeaders.USER_AGENT, "lookout-probe-runner");
        if (payload != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        if (apiKey != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
        }
        return Uni.createFrom().emitter(emitter -> new HttpExchange(vertx, http, cap, emitter).start(options, payload,
                timeoutMs));
    }

    static String describe(Throwable t, long timeoutMs) {
        if (t instanceof HttpExchange.DeadlineException) {
            return "timed out after " + timeoutMs + " ms";
        }
        if (t instanceof UnresolvedException u) {
            return u.getMessage();
        }
        String name = t.getClass().getSimpleName();
        if (name.contains("Timeout")) {
            return "timed out after " + timeoutMs + " ms";
        }
        if (name.contains("Connect")) {
            return "could not connect to the model server";
        }
        return "the connection to the model server failed";
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The endpoint's host name did not resolve (retryable: DNS may come back). */
    static final class UnresolvedException extends RuntimeException {
        UnresolvedException(String host) {
            super("could not resolve the model server's host name '" + host + "'", null, false, false);
        }
    }
}
