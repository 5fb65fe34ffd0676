package dev.lookout.proberunner.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.lookout.platform.Roles;
import dev.lookout.proberunner.client.ModelClient;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.service.EndpointService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

@Path("/api/endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class EndpointResource {

    private final EndpointService endpoints;
    private final ModelClient client;
    private final ProjectAccess access;

    public EndpointResource(EndpointService endpoints, ModelClient client, ProjectAccess access) {
        this.endpoints = endpoints;
        this.client = client;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response create(@Valid @NotNull CreateEndpointRequest request) {
        EndpointResponse created = toResponse(endpoints.create(access.caller(), EndpointMapper.toDomain(request)));
        return Response.created(URI.create("/api/endpoints/" + created.id())).entity(created).build();
    }

    /** The adapter settings (adapterLoading, unloadAdapterAfterRun); 422 for an unknown adapterLoading. */
    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public EndpointResponse update(@PathParam("id") UUID id, @Valid @NotNull UpdateEndpointRequest request) {
        return toResponse(endpoints.update(access.caller(), id, request.adapterLoading(),
                request.unloadAdapterAfterRun()));
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public List<EndpointResponse> list(@QueryParam("project") String project, @QueryParam("name") String name) {
        return endpoints.list(access.caller(), project, name).stream().map(this::toResponse).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public EndpointResponse get(@PathParam("id") UUID id) {
        return toResponse(endpoints.find(access.caller(), id));
    }

    /**
     * Asks the model server's /v1/models (non-blocking); 200 with status up or down. A down answer carries the status
     * code and a sentence of ours, never the server's body (viewers read this).
     */
    @GET
    @Path("{id}/health")
    @Blocking
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public Uni<EndpointHealth> health(@PathParam("id") UUID id) {
        Endpoint e = endpoints.find(access.caller(), id);
        return client.health(e.id, e.baseUrl, endpoints.apiKey(e), e.timeoutMs, endpoints.maxResponseBytes(e))
                .map(EndpointMapper::toResponse);
    }

    private EndpointResponse toResponse(Endpoint e) {
        return EndpointMapper.toResponse(e, endpoints.maxResponseBytes(e));
    }
}
