package dev.lookout.proberunner.rest;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.lookout.platform.ProjectKeys;
import dev.lookout.platform.Roles;
import dev.lookout.proberunner.service.Caller;
import io.quarkus.security.identity.SecurityIdentity;

/** The caller's projects from the token's {@code groups} claim ("/projects/<key>", flat keys only); admin and service see all. */
@RequestScoped
public class ProjectAccess {

    private final SecurityIdentity identity;
    private final JsonWebToken jwt;

    public ProjectAccess(SecurityIdentity identity, JsonWebToken jwt) {
        this.identity = identity;
        this.jwt = jwt;
    }

    public Caller caller() {
        if (Roles.seesAllProjects(identity::hasRole)) {
            return new Caller(true, Set.of());
        }
        return new Caller(false, Set.copyOf(ProjectKeys.fromGroups(jwt.getGroups())));
    }
}
