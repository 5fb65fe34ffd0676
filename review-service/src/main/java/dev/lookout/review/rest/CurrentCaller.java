package dev.lookout.review.rest;

import dev.lookout.platform.ProjectKeys;
import dev.lookout.platform.Roles;
import dev.lookout.review.service.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/**
 * The caller of the current request, from the bearer token: name, `groups` → projects, admin/service see all; a
 * reviewer-only caller (reviewer, but not engineer, admin or service; viewer or not) is blind to open batches.
 */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private final JsonWebToken jwt;

    public CurrentCaller(SecurityIdentity identity, JsonWebToken jwt) {
        this.identity = identity;
        this.jwt = jwt;
    }

    public Caller get() {
        Set<String> projects = Set.copyOf(ProjectKeys.fromGroups(jwt.getGroups()));
        boolean seesAll = Roles.seesAllProjects(identity::hasRole);
        boolean blind = Roles.reviewerOnly(identity::hasRole);
        return new Caller(identity.getPrincipal().getName(), projects, seesAll, blind);
    }
}
