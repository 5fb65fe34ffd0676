package dev.lookout.ingest.service;

import dev.lookout.platform.Roles;
import dev.lookout.platform.ProjectKeys;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/**
 * The caller's projects: groups {@code /projects/<key>} of the token; admin and service see all projects.
 * Anything of a project the caller cannot see is answered as if it did not exist.
 */
@RequestScoped
public class ProjectAccess {

    private final SecurityIdentity identity;
    private final JsonWebToken jwt;

    public ProjectAccess(SecurityIdentity identity, JsonWebToken jwt) {
        this.identity = identity;
        this.jwt = jwt;
    }

    public boolean seesAll() {
        return Roles.seesAllProjects(identity::hasRole);
    }

    public Set<String> projects() {
        return Set.copyOf(ProjectKeys.fromGroups(jwt.getGroups()));
    }

    public boolean canSee(String project) {
        return seesAll() || projects().contains(project);
    }
}
