package dev.lookout.gateway.client;

import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

@RegisterRestClient(configKey = "review")
@RegisterProvider(AccessTokenForwarder.class)
@Path("/api/verdicts")
@Produces(MediaType.APPLICATION_JSON)
public interface ReviewClient {

    @GET
    List<VerdictView> verdictsOfRun(@QueryParam("run") String run);
}
