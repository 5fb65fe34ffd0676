package dev.lookout.proberunner.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.lookout.platform.Roles;
import dev.lookout.proberunner.service.ComparisonSettingsService;
import io.quarkus.security.identity.SecurityIdentity;

/** {@code /api/projects/{key}/comparison-settings}: per-project switches of the comparison (the gateway routes it here). */
@Path("/api/projects/{project}/comparison-settings")
@Produces(MediaType.APPLICATION_JSON)
public class ComparisonSettingsResource {

    private final ComparisonSettingsService settings;
    private final ProjectAccess access;
    private final SecurityIdentity identity;

    public ComparisonSettingsResource(ComparisonSettingsService settings, ProjectAccess access,
            SecurityIdentity identity) {
        this.settings = settings;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public ComparisonSettings get(@PathParam("project") String project) {
        return new ComparisonSettings(settings.get(access.caller(), project));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public ComparisonSettings put(@PathParam("project") String project, @Valid @NotNull ComparisonSettings body) {
        return new ComparisonSettings(settings.put(access.caller(), project, body.semanticSimilarity(),
                identity.getPrincipal().getName()));
    }
}
