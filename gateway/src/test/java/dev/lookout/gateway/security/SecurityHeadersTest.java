package dev.lookout.gateway.security;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SecurityHeadersTest {

    @Test
    void shouldSendHstsOnlyWhenConfigured() {
        MultiMap plain = MultiMap.caseInsensitiveMultiMap();
        SecurityHeaders.apply(plain, Duration.ZERO);
        assertFalse(plain.contains("Strict-Transport-Security"));
        assertEquals("DENY", plain.get("X-Frame-Options"));

        MultiMap tls = MultiMap.caseInsensitiveMultiMap();
        SecurityHeaders.apply(tls, Duration.ofDays(365));
        assertEquals("max-age=31536000; includeSubDomains", tls.get("Strict-Transport-Security"));
    }

    @Test
    void shouldTreatEverythingUnderQButHealthAsOperatorPages() {
        org.junit.jupiter.api.Assertions.assertTrue(GatewayFilter.isOperatorPage("/q/metrics"));
        org.junit.jupiter.api.Assertions.assertTrue(GatewayFilter.isOperatorPage("/q/openapi"));
        assertFalse(GatewayFilter.isOperatorPage("/q/health/ready"));
        org.junit.jupiter.api.Assertions.assertTrue(GatewayFilter.isOperatorPage("/q/healthy-looking"));
        assertFalse(GatewayFilter.isOperatorPage("/api/runs"));
    }
}
