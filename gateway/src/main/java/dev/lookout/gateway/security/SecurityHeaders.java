package dev.lookout.gateway.security;

import io.vertx.core.MultiMap;

import java.time.Duration;

/** Headers set on every response the gateway sends, proxied ones included. */
public final class SecurityHeaders {

    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /**
     * Only for Swagger UI under {@value #DOCS_PATH} (signed-in callers): its generated page configures itself with an
     * inline script and inline styles. Everything else stays as strict as {@link #CSP}.
     */
    public static final String DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /** Where Swagger UI is served ({@code quarkus.swagger-ui.path}). */
    public static final String DOCS_PATH = "/docs";

    private SecurityHeaders() {
    }

    /** The headers, plus {@code Strict-Transport-Security} when {@code hstsMaxAge} is positive (behind TLS). */
    public static void apply(MultiMap headers, Duration hstsMaxAge) {
        apply(headers);
        if (hstsMaxAge != null && !hstsMaxAge.isNegative() && !hstsMaxAge.isZero()) {
            headers.set("Strict-Transport-Security", "max-age=" + hstsMaxAge.toSeconds() + "; includeSubDomains");
        }
    }

    /** True for Swagger UI's page and assets. */
    public static boolean isDocsPage(String path) {
        return path != null && (path.equals(DOCS_PATH) || path.startsWith(DOCS_PATH + "/"));
    }

    public static void apply(MultiMap headers) {
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.remove("Server");
        headers.remove("X-Powered-By");
    }
}
