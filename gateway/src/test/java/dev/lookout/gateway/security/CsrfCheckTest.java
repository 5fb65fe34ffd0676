package dev.lookout.gateway.security;

import dev.lookout.gateway.security.CsrfCheck.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsrfCheckTest {

    private static final String TOKEN = "k3J9x0-abcdefghijklmnopqrstuvwxyz012345";

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "get"})
    void shouldNotCheckSafeMethods(String method) {
        assertEquals(Outcome.NOT_REQUIRED, CsrfCheck.check(method, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "post"})
    void shouldRequireMatchingHeaderForSessionWrites(String method) {
        assertEquals(Outcome.FAILED, CsrfCheck.check(method, null, null, null));
        assertEquals(Outcome.FAILED, CsrfCheck.check(method, null, TOKEN, null));
        assertEquals(Outcome.FAILED, CsrfCheck.check(method, null, null, TOKEN));
        assertEquals(Outcome.FAILED, CsrfCheck.check(method, null, TOKEN, TOKEN + "x"));
        assertEquals(Outcome.PASSED, CsrfCheck.check(method, null, TOKEN, TOKEN));
    }

    @Test
    void shouldRejectTooShortCookies() {
        assertEquals(Outcome.FAILED, CsrfCheck.check("POST", null, "abc", "abc"));
    }

    @Test
    void shouldExemptBearerRequests() {
        assertEquals(Outcome.NOT_REQUIRED, CsrfCheck.check("POST", "Bearer eyJabc", null, null));
        assertEquals(Outcome.NOT_REQUIRED, CsrfCheck.check("DELETE", "bearer eyJabc", null, null));
    }

    @Test
    void shouldNotExemptOtherAuthorizationSchemes() {
        assertEquals(Outcome.FAILED, CsrfCheck.check("POST", "Basic dTpw", null, null));
        assertEquals(Outcome.FAILED, CsrfCheck.check("POST", "Bearer ", null, null));
    }
}
