package dev.lookout.gateway.security;

import io.vertx.core.MultiMap;

import java.time.Duration;

/** Headers set on every response the gateway sends, proxied ones included. */
public final class SecurityHeaders {

    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private SecurityHeaders() {
    }

    /** The headers, plus {@code Strict-Transport-Security} when {@code hstsMaxAge} is positive (behind TLS). */
    public static void apply(MultiMap headers, Duration hstsMaxAge) {
        apply(headers);
        if (hstsMaxAge != null && !hstsMaxAge.isNegative() && !hstsMaxAge.isZero()) {
            headers.set("Strict-Transport-Security", "max-age=" + hstsMaxAge.toSeconds() + "; includeSubDomains");
        }
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
