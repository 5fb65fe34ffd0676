package dev.lookout.ingest.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.UUID;

/** probe-runner's name lookups, called with the caller's token (see {@link ProbeRunnerCatalog}). */
@RegisterRestClient(configKey = "probe-runner")
@RegisterProvider(AccessTokenForwarder.class)
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
interface ProbeRunnerRestClient {

    /** Only the fields ingest needs of a suite; probe-runner sends more. */
    record Suite(String id, String project, String name) {
    }

    /** Only the fields ingest needs of an endpoint; probe-runner sends more. */
    record Endpoint(String id, String project, String name, String adapterLoading) {
    }

    @GET
    @Path("/suites")
    List<Suite> suites(@QueryParam("project") String project, @QueryParam("name") String name);

    @GET
    @Path("/endpoints")
    List<Endpoint> endpoints(@QueryParam("project") String project, @QueryParam("name") String name);

    /** 404 (a {@code WebApplicationException}) when there is none the caller may see. */
    @GET
    @Path("/endpoints/{id}")
    Endpoint endpoint(@PathParam("id") UUID id);
}
