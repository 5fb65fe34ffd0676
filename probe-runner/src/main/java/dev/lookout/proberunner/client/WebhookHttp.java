package dev.lookout.proberunner.client;

import java.net.InetSocketAddress;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.client.EndpointAllowlist.Pinned;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Outgoing webhook POSTs through the same hardened exchange as model calls ({@link HttpExchange}: hard deadline,
 * byte cap on the answer, connection closed before the outcome is reported), to an address already pinned by an
 * allowlist ({@link EndpointAllowlist#resolve}). Never follows redirects; the receiver's body is read up to the cap and
 * dropped: callers see the status code and Lookout's own sentences, never what the receiver wrote.
 */
@ApplicationScoped
public class WebhookHttp {

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** The receiver's status; {@code truncated}: its answer was longer than the cap (the status still counts). */
    public record Reply(int status, boolean truncated) {
    }

    private final Vertx vertx;
    private final HttpClient http;

    public WebhookHttp(Vertx vertx) {
        this.vertx = vertx;
        // a connection per delivery: receivers are many and rarely called twice in a row
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setForceSni(true)
                .setConnectTimeout(CONNECT_TIMEOUT_MS), new PoolOptions().setHttp1MaxSize(32));
    }

    public Uni<Reply> post(Pinned to, String pathAndQuery, Map<String, String> headers, byte[] body, long timeoutMs,
            int cap) {
        EndpointAllowlist.Target t = to.target();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(to.address(), t.port())))
                .setHost(t.host()).setPort(t.port()).setSsl(t.ssl()).setURI(pathAndQuery)
                .setFollowRedirects(false).setConnectTimeout(Math.min(timeoutMs, CONNECT_TIMEOUT_MS))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.USER_AGENT, "lookout-webhooks");
        headers.forEach(options::putHeader);
        return Uni.createFrom().<HttpExchange.Reply>emitter(emitter -> new HttpExchange(vertx, http, cap, emitter)
                .start(options, Buffer.buffer(body), timeoutMs))
                .map(reply -> new Reply(reply.status(), reply.truncated()));
    }

    /** A failed exchange as a short sentence of ours (no exception text from the receiver's side). */
    public static String describe(Throwable t, long timeoutMs) {
        if (t instanceof HttpExchange.DeadlineException) {
            return "timed out after " + timeoutMs + " ms";
        }
        String name = t.getClass().getSimpleName();
        if (name.contains("Timeout")) {
            return "timed out after " + timeoutMs + " ms";
        }
        if (name.contains("Connect")) {
            return "could not connect to the receiver";
        }
        if (name.contains("SSL") || name.contains("Ssl")) {
            return "the TLS handshake with the receiver failed";
        }
        return "the connection to the receiver failed";
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
