package dev.lookout.gateway.proxy;

import dev.lookout.gateway.config.UpstreamConfig;
import dev.lookout.gateway.security.CallerToken;
import dev.lookout.gateway.security.CsrfCheck;
import dev.lookout.gateway.security.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.ProxyRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Streams {@code /api/<resource>/**} to the owning backend with vertx-http-proxy: method, path and query, body
 * and response are piped (a 256 MiB upload is never held in memory). The caller's cookies are dropped and
 * {@code Authorization: Bearer <caller's access token>} is set; hop-by-hop headers are dropped by the proxy. A
 * {@code Location} naming the upstream's address is rewritten to the gateway's own path. Body limits, relaying
 * and the one retry on a fresh connection are in {@link ProxyExchange}.
 * Runs after authentication (order 500 &gt; -100), so the caller is known.
 */
@ApplicationScoped
public class ApiProxy {

    static final int ORDER = 500;
    /** Request headers never forwarded (besides hop-by-hop ones, which the proxy library drops). */
    static final List<String> STRIPPED_REQUEST_HEADERS = List.of("Cookie", "Authorization", CsrfCheck.HEADER,
            "Proxy-Authorization", "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto");
    /** Response headers never passed back to the browser. */
    static final List<String> STRIPPED_RESPONSE_HEADERS = List.of("Set-Cookie", "Server", "X-Powered-By");
    /** Response headers whose upstream address is replaced by the gateway's own path ({@link UpstreamLocation}). */
    static final List<String> REWRITTEN_RESPONSE_HEADERS = List.of("Location", "Content-Location");

    private final UpstreamConfig config;
    private final HttpClient pooled;
    private final HttpClient fresh;
    /** Upstream connections that already carried a request: a failure on one of them may be a stale pooled one. */
    private final Set<HttpConnection> used = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

    public ApiProxy(Vertx vertx, UpstreamConfig config) {
        this.config = config;
        this.pooled = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.keepAliveTimeout().toSeconds()))
                .setMaxPoolSize(64)
                .setDecompressionSupported(false));
        // second attempts go on a connection of their own that is never reused
        this.fresh = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(false)
                .setMaxPoolSize(16)
                .setDecompressionSupported(false));
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Optional<Upstream> owner = RouteTable.resolve(path);
        if (owner.isEmpty()) {
            if (RouteTable.isProjectsPath(path)) {
                Problems.send(ctx, 404, "Nothing is here. Under /api/projects only "
                        + RouteTable.projectPaths() + " exist.");
                return;
            }
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        request.pause();
        Upstream upstream = owner.get();
        Optional<String> token = CallerToken.of(ctx);
        if (token.isEmpty()) {
            Problems.send(ctx, 401, "No access token for this request; sign in again.");
            return;
        }
        long maxBody = upstream.maxBody(config);
        new ProxyExchange(this, ctx, upstream, upstream.baseUrl(config), token.get(), maxBody).start(maxBody);
    }

    /** Method, path and query of the caller's request against {@code base}, with the caller's token, no cookies. */
    ProxyRequest prepare(ProxyRequest proxyRequest, RoutingContext ctx, URI base, String token) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String query = ctx.request().query();
        STRIPPED_REQUEST_HEADERS.forEach(proxyRequest.headers()::remove);
        proxyRequest.putHeader("Authorization", "Bearer " + token);
        proxyRequest.setURI(basePath + ctx.normalizedPath() + (query == null ? "" : "?" + query));
        proxyRequest.setAuthority(HostAndPort.create(base.getHost(), port(base)));
        return proxyRequest;
    }

    RequestOptions options(URI base) {
        return new RequestOptions().setHost(base.getHost()).setPort(port(base))
                .setSsl("https".equals(base.getScheme()))
                .setIdleTimeout(config.idleTimeout().toMillis());
    }

    HttpClient pooled() {
        return pooled;
    }

    HttpClient fresh() {
        return fresh;
    }

    /** True when this request's connection carried an earlier request (it came out of the pool). */
    boolean seenBefore(HttpClientRequest request) {
        HttpConnection connection = request.connection();
        return connection != null && !used.add(connection);
    }

    /** "10 MiB", "256 MiB", "512 KiB" or bytes, for problem details. */
    static String describe(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    private static int port(URI base) {
        return base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80);
    }
}
