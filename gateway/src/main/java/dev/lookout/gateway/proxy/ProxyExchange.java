package dev.lookout.gateway.proxy;

import dev.lookout.gateway.security.Problems;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * One caller's request on its way through {@link ApiProxy}: the body is streamed to the upstream (vertx-http-proxy
 * writes the request), the answer is relayed here. What keeps one caller's trouble from reaching another's:
 * <ul>
 * <li>a body over the route's limit is answered with 413 by the gateway, before or instead of the upstream;</li>
 * <li>the upstream request is reset only while its exchange is unfinished. Vert.x closes the connection of a reset
 * request even when its exchange is over and the connection is back in the pool, serving someone else's request
 * (a caller hanging up while its answer is written used to break the next caller's vote that way);</li>
 * <li>a request whose upstream connection died before any answer is sent once more on a fresh connection when
 * its body can be replayed and either the method is idempotent or the connection came from the pool (a kept-alive
 * connection the upstream closed while it sat idle), or on any method when the pooled connection died before the
 * request could go out on it. A request the gateway itself dropped (its caller went away, its body was refused) is
 * never sent again.</li>
 * </ul>
 */
final class ProxyExchange {

    private static final Logger LOG = Logger.getLogger(ProxyExchange.class);
    static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE);
    /** Response headers that describe one connection, not the answer (RFC 9110 §7.6.1). */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private final ApiProxy proxy;
    private final RoutingContext ctx;
    private final Upstream upstream;
    private final URI base;
    private final String token;
    private final CallerBody body;
    private HttpClientRequest current;
    private boolean upstreamDone;

    ProxyExchange(ApiProxy proxy, RoutingContext ctx, Upstream upstream, URI base, String token, long maxBody) {
        this.proxy = proxy;
        this.ctx = ctx;
        this.upstream = upstream;
        this.base = base;
        this.token = token;
        this.body = new CallerBody(ctx.request(), maxBody, this::tooLarge);
    }

    /** Starts the exchange: refuses a declared length over the limit at once, else sends the first attempt. */
    void start(long maxBody) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > maxBody) {
            body.refuse();
            tooLarge();
            return;
        }
        attempt(proxy.pooled(), 1, body);
    }

    private void attempt(HttpClient client, int attempt, Object content) {
        ProxyRequest proxyRequest = proxy.prepare(ProxyRequest.reverseProxy(ctx.request()), ctx, base, token);
        if (content instanceof Buffer replay) {
            proxyRequest.setBody(replay.length() == 0 ? null : Body.body(replay));
        } else {
            proxyRequest.setBody(Body.body(body, parseLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH))));
        }
        client.request(proxy.options(base))
                .onFailure(failure -> {
                    if (attempt == 1 && connectionLost(failure) && !answered()) {
                        // the pooled connection died as it was handed out: nothing was sent, so any method may
                        // go again (the unsent proxy request is dropped; the caller's body was not read)
                        LOG.infof("%s: no usable connection for %s %s (%s); trying a fresh one",
                                upstream.serviceName(), ctx.request().method(), ctx.normalizedPath(), failure.toString());
                        attempt(proxy.fresh(), 2, content);
                        return;
                    }
                    proxyRequest.release();
                    unavailable(failure);
                })
                .onSuccess(request -> {
                    current = request;
                    request.exceptionHandler(e -> LOG.debugf("request to %s ended: %s", upstream.serviceName(),
                            e.toString()));
                    boolean reused = proxy.seenBefore(request);
                    proxyRequest.send(request)
                            .onFailure(failure -> failed(request, attempt, reused, failure))
                            .onSuccess(ignored -> relay(request, request.response().result()));
                });
    }

    private void failed(HttpClientRequest request, int attempt, boolean reused, Throwable failure) {
        resetUnfinished(request);
        if (body.refused() || answered() || failure instanceof StreamResetException) {
            return; // dropped on purpose (the caller went away or its body was refused): nobody waits for it
        }
        Object replay = body.untouched() ? body : body.whole();
        HttpMethod method = ctx.request().method();
        if (attempt == 1 && replay != null && connectionLost(failure) && (IDEMPOTENT.contains(method) || reused)) {
            LOG.infof("%s closed the connection of %s %s before answering (%s); sending it again on a fresh "
                    + "connection", upstream.serviceName(), method, ctx.normalizedPath(), failure.toString());
            attempt(proxy.fresh(), 2, replay);
            return;
        }
        unavailable(failure);
    }

    /** Passes the upstream's answer on: status, end-to-end headers (rewritten), body streamed. */
    private void relay(HttpClientRequest request, HttpClientResponse response) {
        response.end().onComplete(x -> upstreamDone = true);
        HttpServerResponse out = ctx.response();
        if (answered()) { // the caller was already answered (e.g. 413 while the upstream still read)
            resetUnfinished(request);
            return;
        }
        out.setStatusCode(response.statusCode());
        copyHeaders(response.headers(), out.headers());
        boolean bodiless = ctx.request().method() == HttpMethod.HEAD || response.statusCode() == 204
                || response.statusCode() == 304;
        if (!bodiless && !out.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        out.exceptionHandler(e -> resetUnfinished(request));
        response.pipeTo(out).onSuccess(v -> {
            if (!ctx.request().isEnded()) { // answered before the body was all sent (e.g. 413): the rest is dropped
                request.reset();
                body.drainRest();
            }
        }).onFailure(failure -> {
            LOG.debugf("answer of %s to %s aborted: %s", upstream.serviceName(), ctx.normalizedPath(),
                    failure.getMessage());
            resetUnfinished(request);
        });
    }

    private void copyHeaders(MultiMap from, MultiMap to) {
        Set<String> named = connectionTokens(from.get(HttpHeaders.CONNECTION));
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)
                    && ApiProxy.STRIPPED_RESPONSE_HEADERS.stream().noneMatch(s -> s.equalsIgnoreCase(name))) {
                boolean rewritten = ApiProxy.REWRITTEN_RESPONSE_HEADERS.stream().anyMatch(s -> s.equalsIgnoreCase(name));
                to.add(header.getKey(), rewritten ? UpstreamLocation.toGateway(header.getValue(), base) : header.getValue());
            }
        });
    }

    private static Set<String> connectionTokens(String connection) {
        if (connection == null) {
            return Set.of();
        }
        return Set.of(connection.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
    }

    /** The caller's body passed the route's limit: the upstream request (if any) is dropped, the caller gets 413. */
    private void tooLarge() {
        if (current != null) {
            resetUnfinished(current);
        }
        if (answered()) {
            return;
        }
        Problems.send(ctx, 413, "The request body is larger than " + upstream.serviceName()
                + " accepts on " + ctx.normalizedPath() + " (at most " + ApiProxy.describe(body.limit())
                + "); nothing was forwarded or stored.");
    }

    /** Resets an upstream request only while its exchange is unfinished; a finished one may be serving another. */
    private void resetUnfinished(HttpClientRequest request) {
        if (!upstreamDone) {
            request.reset();
        }
    }

    private boolean answered() {
        return ctx.response().headWritten() || ctx.response().ended() || ctx.response().closed();
    }

    private void unavailable(Throwable failure) {
        if (answered()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        LOG.warnf("%s did not answer %s %s: %s", upstream.serviceName(), request.method(), ctx.normalizedPath(),
                failure.toString());
        if (failure instanceof ConnectException || rootCause(failure) instanceof ConnectException) {
            Problems.send(ctx, 503, upstream.serviceName() + " is not reachable right now; try again shortly.");
        } else {
            Problems.send(ctx, 502, upstream.serviceName() + " did not answer this request properly; try again shortly.");
        }
    }

    /** The upstream connection closed or was reset under the request (not a timeout, not a refused connect). */
    static boolean connectionLost(Throwable failure) {
        Throwable root = rootCause(failure);
        return failure instanceof HttpClosedException || root instanceof HttpClosedException
                || (root instanceof IOException && !(root instanceof ConnectException));
    }

    static long parseLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
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
