package dev.lookout.gateway.security;

import dev.lookout.gateway.config.EdgeSecurityConfig;
import dev.lookout.gateway.proxy.RouteTable;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
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
 * <li>{@code /api/**} and the admin-only {@code /q/*} pages (all but health) without bearer token and without session
 * cookie → 401 problem+json (never a redirect);</li>
 * <li>double-submit CSRF check for state-changing, cookie-authenticated {@code /api/**} requests → 403;</li>
 * <li>the {@value CsrfCheck#COOKIE} cookie on UI load ({@code Secure} over https or when configured so);</li>
 * <li>{@code Strict-Transport-Security} when configured (behind TLS);</li>
 * <li>pauses proxied request bodies so nothing is read before the proxy pipes them upstream.</li>
 * </ul>
 */
@ApplicationScoped
public class GatewayFilter {

    static final int ORDER = -1000;
    private static final String SESSION_COOKIE_PREFIX = "q_session";
    private final SecureRandom random = new SecureRandom();
    private final EdgeSecurityConfig config;

    public GatewayFilter(EdgeSecurityConfig config) {
        this.config = config;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle).failureHandler(this::refused);
    }

    /**
     * A bearer token Quarkus refused (bad signature, expired, wrong audience) or a role it does not allow: 401/403
     * problem+json instead of an empty body. Session-cookie callers keep Quarkus' own answer (redirect or 499).
     */
    void refused(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof AuthenticationCompletionException && !ctx.response().headWritten()) {
            signInFailed(ctx);
            return;
        }
        boolean unauthenticated = failure instanceof AuthenticationFailedException
                || failure instanceof UnauthorizedException;
        boolean forbidden = failure instanceof ForbiddenException;
        if ((!unauthenticated && !forbidden) || ctx.response().headWritten()
                || !CsrfCheck.isBearer(ctx.request().getHeader("Authorization"))) {
            ctx.next();
            return;
        }
        if (unauthenticated) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Problems.send(ctx, 401, "The access token is not valid here (expired, wrongly signed,"
                    + " or minted for another audience); get a new one for Lookout.");
        } else {
            Problems.send(ctx, 403, "Your role does not allow this.");
        }
    }

    static final String SIGN_IN_FAILED = "Sign-in could not be completed: the sign-in service did not answer or did"
            + " not accept the login. Try again in a moment.";

    /**
     * The browser came back from the sign-in page but the code flow could not finish (Keycloak down, a stale or
     * forged code): 401 with a sentence instead of Quarkus' empty body — a short page for browsers, problem+json
     * for everything else. Nothing of the failure (class, provider message) is shown.
     */
    private static void signInFailed(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (accept != null && accept.contains("text/html")) {
            ctx.response().setStatusCode(401).putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lookout: sign-in"
                            + " failed</title></head><body><h1>Sign-in failed</h1><p>" + SIGN_IN_FAILED
                            + "</p><p><a href=\"/\">Try again</a></p></body></html>");
        } else {
            Problems.send(ctx, 401, SIGN_IN_FAILED);
        }
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String path = ctx.normalizedPath();
        boolean docs = SecurityHeaders.isDocsPage(path);
        response.headersEndHandler(v -> {
            SecurityHeaders.apply(response.headers(), config.hstsMaxAge());
            if (docs) {
                response.headers().set("Content-Security-Policy", SecurityHeaders.DOCS_CSP);
            }
        });

        if (isOperatorPage(path) && !CsrfCheck.isBearer(request.getHeader("Authorization"))
                && !hasSessionCookie(request)) {
            response.putHeader("WWW-Authenticate", "Bearer");
            Problems.send(ctx, 401, "Metrics and the API description are for admins: send an"
                    + " admin's access token as 'Authorization: Bearer <token>'.");
            return;
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            String authorization = request.getHeader("Authorization");
            boolean bearer = CsrfCheck.isBearer(authorization);
            if (!bearer && !hasSessionCookie(request)) {
                response.putHeader("WWW-Authenticate", "Bearer");
                Problems.send(ctx, 401, "Sign in, or send an access token as 'Authorization: Bearer <token>'.");
                return;
            }
            String cookie = cookieValue(request, CsrfCheck.COOKIE);
            if (CsrfCheck.check(request.method().name(), authorization, cookie,
                    request.getHeader(CsrfCheck.HEADER)) == CsrfCheck.Outcome.FAILED) {
                Problems.send(ctx, 403, "This request changes data and needs header " + CsrfCheck.HEADER + " equal to cookie "
                                + CsrfCheck.COOKIE + " (reload the page to get one).");
                return;
            }
            if (RouteTable.resolve(path).isPresent()) {
                request.pause();
            }
        } else if (isUiEntry(request.method(), path) && cookieValue(request, CsrfCheck.COOKIE) == null) {
            response.addCookie(Cookie.cookie(CsrfCheck.COOKIE, newToken()).setPath("/")
                    .setSameSite(CookieSameSite.STRICT).setHttpOnly(false)
                    .setSecure(config.secureCookies() || "https".equalsIgnoreCase(request.scheme())));
        }
        ctx.next();
    }

    /** Everything under {@code /q} but health (metrics, the OpenAPI document): never open. */
    static boolean isOperatorPage(String path) {
        return (path.equals("/q") || path.startsWith("/q/")) && !path.equals("/q/health")
                && !path.startsWith("/q/health/");
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
