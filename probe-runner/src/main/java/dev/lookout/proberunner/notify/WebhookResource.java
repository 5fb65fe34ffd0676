package dev.lookout.proberunner.notify;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.lookout.proberunner.notify.WebhookDtos.DeliveryResponse;
import dev.lookout.proberunner.notify.WebhookDtos.TestQueued;
import dev.lookout.proberunner.notify.WebhookDtos.WebhookRequest;
import dev.lookout.proberunner.notify.WebhookDtos.WebhookResponse;
import dev.lookout.proberunner.rest.ProjectAccess;
import dev.lookout.platform.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code /api/projects/{key}/webhooks}: signed notifications of a project's events (the gateway routes it here).
 * Engineers and admins manage; every read role lists (URLs shortened to their origin); other projects answer 404.
 */
@Path("/api/projects/{project}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookService webhooks;
    private final ProjectAccess access;
    private final SecurityIdentity identity;

    public WebhookResource(WebhookService webhooks, ProjectAccess access, SecurityIdentity identity) {
        this.webhooks = webhooks;
        this.access = access;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response create(@PathParam("project") String project, @Valid @NotNull WebhookRequest body) {
        WebhookResponse created = webhooks.create(access.caller(), project, body, user());
        return Response.created(URI.create("/api/projects/" + project + "/webhooks/" + created.id()))
                .entity(created).build();
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public List<WebhookResponse> list(@PathParam("project") String project) {
        return webhooks.list(access.caller(), project, manager());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public WebhookResponse get(@PathParam("project") String project, @PathParam("id") UUID id) {
        return webhooks.get(access.caller(), project, id, manager());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public WebhookResponse update(@PathParam("project") String project, @PathParam("id") UUID id,
            @Valid @NotNull WebhookRequest body) {
        return webhooks.update(access.caller(), project, id, body, user());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response delete(@PathParam("project") String project, @PathParam("id") UUID id) {
        webhooks.delete(access.caller(), project, id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/test")
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response test(@PathParam("project") String project, @PathParam("id") UUID id) {
        UUID delivery = webhooks.test(access.caller(), project, id, user());
        return Response.accepted(new TestQueued(delivery, "pending")).build();
    }

    /** The delivery log, newest first; {@code Next-Cursor} (and a {@code Link}) when there is more. */
    @GET
    @Path("{id}/deliveries")
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public Response deliveries(@PathParam("project") String project, @PathParam("id") UUID id,
            @QueryParam("limit") Integer limit, @QueryParam("after") UUID after) {
        WebhookService.Page page = webhooks.deliveries(access.caller(), project, id, limit, after);
        Response.ResponseBuilder r = Response.ok(page.items().toArray(DeliveryResponse[]::new));
        if (page.next() != null) {
            String next = "/api/projects/" + project + "/webhooks/" + id + "/deliveries?after=" + page.next()
                    + (limit == null ? "" : "&limit=" + limit);
            r.header("Next-Cursor", page.next()).header("Link", "<" + next + ">; rel=\"next\"");
        }
        return r.build();
    }

    private boolean manager() {
        return identity.hasRole(Roles.ENGINEER) || identity.hasRole(Roles.ADMIN);
    }

    private String user() {
        return identity.getPrincipal().getName();
    }
}
