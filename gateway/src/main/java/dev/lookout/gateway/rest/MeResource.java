package dev.lookout.gateway.rest;

import dev.lookout.gateway.service.Caller;
import dev.lookout.gateway.service.CallerResolver;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** GET /api/me: who the token says the caller is (the UI shows it and picks the project from it). */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** {user, roles, projects}; allProjects is true for admin and service accounts. */
    public record Me(String user, List<String> roles, List<String> projects, boolean allProjects) {
    }

    private final SecurityIdentity identity;
    private final CallerResolver callers;

    public MeResource(SecurityIdentity identity, CallerResolver callers) {
        this.identity = identity;
        this.callers = callers;
    }

    @GET
    @Authenticated
    public Me me() {
        Caller caller = callers.resolve(identity);
        return new Me(caller.user(), caller.roles(), caller.projects(), caller.seesAllProjects());
    }
}
