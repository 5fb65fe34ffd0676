package dev.lookout.gateway.service;

import dev.lookout.gateway.security.CallerToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds the {@link Caller} of the current request from its verified access token. */
@ApplicationScoped
public class CallerResolver {

    public Caller resolve(SecurityIdentity identity) {
        String token = CallerToken.of(identity).orElse(null);
        return Caller.fromAccessToken(token, identity.getPrincipal().getName(), identity.getRoles());
    }
}
