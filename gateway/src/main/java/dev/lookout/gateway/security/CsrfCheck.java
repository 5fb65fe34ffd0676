package dev.lookout.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Double-submit CSRF check (pure). A state-changing request that is authenticated by the session cookie must
 * carry header {@value #HEADER} equal to cookie {@value #COOKIE}; requests carrying their own bearer token are
 * exempt (a browser never attaches one on its own, so a cross-site page cannot forge it).
 */
public final class CsrfCheck {

    public static final String COOKIE = "lookout-csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    public enum Outcome { NOT_REQUIRED, PASSED, FAILED }

    private CsrfCheck() {
    }

    /**
     * @param method HTTP method
     * @param authorization the request's Authorization header (null when absent)
     * @param cookieValue value of the {@value #COOKIE} cookie (null when absent)
     * @param headerValue value of the {@value #HEADER} header (null when absent)
     */
    public static Outcome check(String method, String authorization, String cookieValue, String headerValue) {
        if (method == null || SAFE.contains(method.toUpperCase(Locale.ROOT))) {
            return Outcome.NOT_REQUIRED;
        }
        if (isBearer(authorization)) {
            return Outcome.NOT_REQUIRED;
        }
        if (cookieValue == null || headerValue == null || cookieValue.length() < 16) {
            return Outcome.FAILED;
        }
        boolean same = MessageDigest.isEqual(cookieValue.getBytes(StandardCharsets.UTF_8),
                headerValue.getBytes(StandardCharsets.UTF_8));
        return same ? Outcome.PASSED : Outcome.FAILED;
    }

    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.length() > 7;
    }
}
