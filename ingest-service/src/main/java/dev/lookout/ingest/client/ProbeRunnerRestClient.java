package dev.lookout.ingest.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** probe-runner's name lookups, called with the caller's token (see {@link ProbeRunnerCatalog}). */
@RegisterRestClient(configKey = "probe-runner")
@RegisterProvider(AccessTokenForwarder.class)
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
interface ProbeRunnerRestClient {

    /** Only the field ingest needs; probe-runner sends more. */
    record Named(String name) {
    }

    @GET
    @Path("/suites")
    List<Named> suites(@QueryParam("project") String project, @QueryParam("name") String name);

    @GET
    @Path("/endpoints")
    List<Named> endpoints(@QueryParam("project") String project, @QueryParam("name") String name);
}
