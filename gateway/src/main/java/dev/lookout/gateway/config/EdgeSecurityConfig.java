package dev.lookout.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * How the gateway's own cookie and headers behave behind TLS. Plain local runs over http keep the defaults; the
 * {@code tls} profile (Kubernetes, behind the ingress) forces {@code Secure} cookies and sends HSTS.
 */
@ConfigMapping(prefix = "lookout.security")
public interface EdgeSecurityConfig {

    /** The CSRF cookie always carries {@code Secure} (otherwise only when the request came over https). */
    @WithName("secure-cookies")
    @WithDefault("false")
    boolean secureCookies();

    /** {@code Strict-Transport-Security: max-age=…} on every response; zero sends no HSTS header. */
    @WithName("hsts-max-age")
    @WithDefault("0S")
    Duration hstsMaxAge();
}
