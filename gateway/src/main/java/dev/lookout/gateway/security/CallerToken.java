package dev.lookout.gateway.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/** The caller's access token: the bearer a job sent, or the one held in a browser's session. */
public final class CallerToken {

    private CallerToken() {
    }

    public static Optional<String> of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        return credential == null || credential.getToken() == null ? Optional.empty()
                : Optional.of(credential.getToken());
    }

    public static Optional<String> of(RoutingContext ctx) {
        if (ctx.user() instanceof QuarkusHttpUser user) {
            return of(user.getSecurityIdentity());
        }
        return Optional.empty();
    }
}
