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
import dev.lookout.proberunner.domain.ProjectQuota;
import dev.lookout.proberunner.rest.QuotaDtos.QuotaResponse;
import dev.lookout.proberunner.rest.QuotaDtos.QuotaSettings;
import dev.lookout.proberunner.service.QuotaService;
import io.quarkus.security.identity.SecurityIdentity;

/** {@code /api/projects/{key}/quotas}: a project's call budgets and their use (the gateway routes it here). */
@Path("/api/projects/{project}/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    private final QuotaService quotas;
    private final ProjectAccess access;
    private final SecurityIdentity identity;

    public QuotaResource(QuotaService quotas, ProjectAccess access, SecurityIdentity identity) {
        this.quotas = quotas;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public QuotaResponse get(@PathParam("project") String project) {
        return QuotaDtos.response(quotas.get(access.caller(), project));
    }

    /** Admin only: the limits are what stops a project from queueing unbounded work. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public QuotaResponse put(@PathParam("project") String project, @Valid @NotNull QuotaSettings body) {
        return QuotaDtos.response(quotas.put(access.caller(), project,
                new ProjectQuota.Overrides(body.maxInFlight(), body.maxCallsPerDay(), body.maxCallsPerRun()),
                identity.getPrincipal().getName()));
    }
}
