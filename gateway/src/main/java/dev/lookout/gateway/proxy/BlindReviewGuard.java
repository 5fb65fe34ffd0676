package dev.lookout.gateway.proxy;

import dev.lookout.platform.Roles;
import dev.lookout.gateway.config.UpstreamConfig;
import dev.lookout.gateway.security.CallerToken;
import dev.lookout.gateway.security.Problems;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Keeps reviewers blind. A reviewer-only caller (reviewer, but neither engineer, admin nor service) who asks for
 * probe-runner's comparisons ({@code /api/comparisons?…}) or a probe run's outputs ({@code /api/probe-runs/{id}/…})
 * could match the texts with a task's screen sides and learn which one is the candidate. Before such a request is
 * proxied, the gateway asks review-service, with the caller's own token, whether an open review batch of the caller's
 * projects covers that probe run or pair ({@code GET /api/review-batches/open-coverage}); if it does — or if
 * review-service says anything but a clean "no" — the caller gets 404 problem+json, like any resource they cannot
 * read. review-service unreachable → 503 (fail closed). Other callers are never delayed by the check.
 * <p>
 * Why here and not in probe-runner: probe-runner knows nothing about review batches and would need a client to
 * review-service or a copy of their state; review-service knows the batches but does not serve the texts. The
 * gateway is the one door to the backends (the Kubernetes network policies let only the gateway reach them, and
 * review-service reach probe-runner), so a check on this door covers every way a user reaches those texts. The
 * backends themselves still check roles and projects; this only narrows what reviewers may read.
 */
@ApplicationScoped
public class BlindReviewGuard {

    private static final Logger LOG = Logger.getLogger(BlindReviewGuard.class);
    /** After authentication (-100), before the proxy ({@link ApiProxy#ORDER}). */
    static final int ORDER = ApiProxy.ORDER - 10;
    static final String COVERAGE_PATH = "/api/review-batches/open-coverage";

    private final UpstreamConfig config;
    private final HttpClient client;

    public BlindReviewGuard(Vertx vertx, UpstreamConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(16));
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::handle);
    }

    /** True for a caller who votes but may neither manage probe runs nor see every project. */
    public static boolean reviewerOnly(SecurityIdentity identity) {
        return identity != null && !identity.isAnonymous() && Roles.reviewerOnly(identity::hasRole);
    }

    /**
     * The query to ask review-service's open-coverage with, when the request reads texts a batch may cover: the
     * comparison's own query for {@code /api/comparisons[/…]}, {@code probeRun=<id>} for
     * {@code /api/probe-runs/{id}/<anything>} (outputs). Empty for everything else.
     *
     * @param path the normalised request path (as the proxy routes it)
     * @param rawQuery the raw query string, or null
     */
    static Optional<String> coverageQuery(String method, String path, String rawQuery) {
        if (!("GET".equals(method) || "HEAD".equals(method)) || RouteTable.resolve(path).isEmpty()) {
            return Optional.empty();
        }
        String[] segments = path.substring("/api/".length()).split("/", -1);
        String resource = withoutMatrixParams(segments[0]);
        if ("comparisons".equals(resource)) {
            return Optional.of(rawQuery == null ? "" : rawQuery);
        }
        if ("probe-runs".equals(resource) && segments.length >= 3) {
            return Optional.of("probeRun=" + URLEncoder.encode(withoutMatrixParams(segments[1]), StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    private static String withoutMatrixParams(String segment) {
        int semicolon = segment.indexOf(';');
        return semicolon < 0 ? segment : segment.substring(0, semicolon);
    }

    void handle(RoutingContext ctx) {
        SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (!reviewerOnly(identity)) {
            ctx.next();
            return;
        }
        Optional<String> query = coverageQuery(ctx.request().method().name(), ctx.normalizedPath(), ctx.request().query());
        Optional<String> token = CallerToken.of(identity);
        if (query.isEmpty() || token.isEmpty()) {
            ctx.next(); // not a guarded read; without a token the proxy answers 401 itself
            return;
        }
        ask(query.get(), token.get()).onComplete(answer -> {
            if (answer.failed()) {
                LOG.warnf("review-service did not answer the blind-review check for %s: %s", ctx.normalizedPath(),
                        answer.cause().toString());
                Problems.send(ctx, 503, "review-service could not confirm that this is not"
                        + " under blind review; try again shortly.");
            } else if (answer.result()) {
                Problems.send(ctx, 404, "Not found. Comparisons and outputs under blind review stay"
                        + " hidden from reviewers until the review batch is closed.");
            } else {
                ctx.next();
            }
        });
    }

    /** True when the caller must not read it (covered, or any answer but a clean 200 "not covered"). */
    private Future<Boolean> ask(String query, String token) {
        URI base = Upstream.REVIEW.baseUrl(config);
        boolean ssl = "https".equals(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : (ssl ? 443 : 80);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(port)
                .setSsl(ssl).setURI(basePath + COVERAGE_PATH + (query.isEmpty() ? "" : "?" + query))
                .putHeader("Authorization", "Bearer " + token).putHeader("Accept", "application/json")
                .setIdleTimeout(config.connectTimeout().toMillis());
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() >= 500) {
                        throw new IllegalStateException("status " + response.statusCode());
                    }
                    return response.statusCode() != 200 || !Boolean.FALSE.equals(covered(body.toString()));
                }));
    }

    private static Boolean covered(String body) {
        try {
            Object value = new JsonObject(body).getValue("covered");
            return value instanceof Boolean b ? b : null;
        } catch (RuntimeException e) {
            LOG.debugf("open-coverage answer is not JSON: %s", e.getMessage());
            return null;
        }
    }
}
