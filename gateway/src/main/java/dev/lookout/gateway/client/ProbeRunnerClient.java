package dev.lookout.gateway.client;

import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

@RegisterRestClient(configKey = "probe-runner")
@RegisterProvider(AccessTokenForwarder.class)
@Path("/api/probe-runs")
@Produces(MediaType.APPLICATION_JSON)
public interface ProbeRunnerClient {

    @GET
    List<ProbeRunView> probeRunsOfRun(@QueryParam("run") String run);
}
