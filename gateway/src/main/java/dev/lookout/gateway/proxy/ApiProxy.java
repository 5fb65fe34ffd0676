package dev.lookout.gateway.proxy;

import dev.lookout.gateway.config.UpstreamConfig;
import dev.lookout.gateway.security.CallerToken;
import dev.lookout.gateway.security.CsrfCheck;
import dev.lookout.gateway.security.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.ProxyRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Streams {@code /api/<resource>/**} to the owning backend with vertx-http-proxy: method, path and query, body
 * and response are piped (a 256 MiB upload is never held in memory). The caller's cookies are dropped and
 * {@code Authorization: Bearer <caller's access token>} is set; hop-by-hop headers are dropped by the proxy. A
 * {@code Location} naming the upstream's address is rewritten to the gateway's own path.
 * Runs after authentication (order 500 &gt; -100), so the caller is known.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    static final int ORDER = 500;
    /** Request headers never forwarded (besides hop-by-hop ones, which the proxy library drops). */
    static final List<String> STRIPPED_REQUEST_HEADERS = List.of("Cookie", "Authorization", CsrfCheck.HEADER,
            "Proxy-Authorization", "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto");
    /** Response headers never passed back to the browser. */
    static final List<String> STRIPPED_RESPONSE_HEADERS = List.of("Set-Cookie", "Server", "X-Powered-By");
    /** Response headers whose upstream address is replaced by the gateway's own path ({@link UpstreamLocation}). */
    static final List<String> REWRITTEN_RESPONSE_HEADERS = List.of("Location", "Content-Location");

    private final UpstreamConfig config;
    private final HttpClient client;

    public ApiProxy(Vertx vertx, UpstreamConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(64)
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

        URI base = upstream.baseUrl(config);
        int port = base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String query = request.query();
        String uri = basePath + path + (query == null ? "" : "?" + query);

        ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request);
        STRIPPED_REQUEST_HEADERS.forEach(proxyRequest.headers()::remove);
        proxyRequest.putHeader("Authorization", "Bearer " + token.get());
        proxyRequest.setURI(uri);
        proxyRequest.setAuthority(HostAndPort.create(base.getHost(), port));

        RequestOptions options = new RequestOptions().setHost(base.getHost()).setPort(port)
                .setSsl("https".equals(base.getScheme()))
                .setIdleTimeout(config.idleTimeout().toMillis());
        client.request(options)
                .onFailure(failure -> {
                    proxyRequest.release();
                    unavailable(ctx, upstream, failure);
                })
                .onSuccess(clientRequest -> proxyRequest.send(clientRequest)
                        .onFailure(failure -> {
                            clientRequest.reset();
                            unavailable(ctx, upstream, failure);
                        })
                        .onSuccess(proxyResponse -> {
                            STRIPPED_RESPONSE_HEADERS.forEach(proxyResponse.headers()::remove);
                            REWRITTEN_RESPONSE_HEADERS.forEach(name -> {
                                String value = proxyResponse.headers().get(name);
                                if (value != null) {
                                    proxyResponse.putHeader(name, UpstreamLocation.toGateway(value, base));
                                }
                            });
                            proxyResponse.send().onFailure(failure -> {
                                LOG.debugf("response from %s aborted: %s", upstream.serviceName(), failure.getMessage());
                                clientRequest.reset();
                            });
                        }));
    }

    private static void unavailable(RoutingContext ctx, Upstream upstream, Throwable failure) {
        LOG.warnf("%s did not answer %s %s: %s", upstream.serviceName(), ctx.request().method(),
                ctx.normalizedPath(), failure.toString());
        if (failure instanceof ConnectException || rootCause(failure) instanceof ConnectException) {
            Problems.send(ctx, 503, upstream.serviceName() + " is not reachable right now; try again shortly.");
        } else {
            Problems.send(ctx, 502, upstream.serviceName() + " did not answer this request properly; try again shortly.");
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
