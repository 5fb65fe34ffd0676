package dev.lookout.gateway.security;

import dev.lookout.gateway.proxy.RouteTable;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Runs before Quarkus' authentication (order -1000 &lt; -200) on every request:
 * <ul>
 * <li>security headers on every response (set when the headers are written, so proxied responses get them);</li>
 * <li>{@code /api/**} without bearer token and without session cookie → 401 problem+json (never a redirect);</li>
 * <li>double-submit CSRF check for state-changing, cookie-authenticated {@code /api/**} requests → 403;</li>
 * <li>the {@value CsrfCheck#COOKIE} cookie on UI load;</li>
 * <li>pauses proxied request bodies so nothing is read before the proxy pipes them upstream.</li>
 * </ul>
 */
@ApplicationScoped
public class GatewayFilter {

    static final int ORDER = -1000;
    private static final String SESSION_COOKIE_PREFIX = "q_session";
    private final SecureRandom random = new SecureRandom();

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        response.headersEndHandler(v -> SecurityHeaders.apply(response.headers()));
        String path = ctx.normalizedPath();

        if (path.equals("/api") || path.startsWith("/api/")) {
            String authorization = request.getHeader("Authorization");
            boolean bearer = CsrfCheck.isBearer(authorization);
            if (!bearer && !hasSessionCookie(request)) {
                response.putHeader("WWW-Authenticate", "Bearer");
                Problems.send(ctx, 401, "Unauthorized",
                        "Sign in, or send an access token as 'Authorization: Bearer <token>'.");
                return;
            }
            String cookie = cookieValue(request, CsrfCheck.COOKIE);
            if (CsrfCheck.check(request.method().name(), authorization, cookie,
                    request.getHeader(CsrfCheck.HEADER)) == CsrfCheck.Outcome.FAILED) {
                Problems.send(ctx, 403, "Forbidden",
                        "This request changes data and needs header " + CsrfCheck.HEADER + " equal to cookie "
                                + CsrfCheck.COOKIE + " (reload the page to get one).");
                return;
            }
            if (RouteTable.resolve(path).isPresent()) {
                request.pause();
            }
        } else if (isUiEntry(request.method(), path) && cookieValue(request, CsrfCheck.COOKIE) == null) {
            response.addCookie(Cookie.cookie(CsrfCheck.COOKIE, newToken()).setPath("/")
                    .setSameSite(CookieSameSite.STRICT).setHttpOnly(false)
                    .setSecure("https".equalsIgnoreCase(request.scheme())));
        }
        ctx.next();
    }

    private static boolean isUiEntry(HttpMethod method, String path) {
        return (method == HttpMethod.GET || method == HttpMethod.HEAD)
                && (path.equals("/") || path.equals("/index.html"));
    }

    static boolean hasSessionCookie(HttpServerRequest request) {
        for (Cookie c : request.cookies()) {
            if (c.getName().startsWith(SESSION_COOKIE_PREFIX) && !c.getValue().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    static String cookieValue(HttpServerRequest request, String name) {
        Cookie c = request.getCookie(name);
        return c == null || c.getValue().isEmpty() ? null : c.getValue();
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
