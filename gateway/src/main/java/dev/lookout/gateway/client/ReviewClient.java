package dev.lookout.gateway.client;

import dev.lookout.gateway.client.UpstreamViews.CoverageView;
import dev.lookout.gateway.client.UpstreamViews.StrengthView;
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
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface ReviewClient {

    @GET
    @Path("/verdicts")
    List<VerdictView> verdictsOfRun(@QueryParam("run") String run);

    @GET
    @Path("/verdicts/bradley-terry")
    List<StrengthView> strengthsOfRun(@QueryParam("run") String run);

    /** Whether an open review batch of the caller's projects covers a probe run, or a pair on a suite version. */
    @GET
    @Path("/review-batches/open-coverage")
    CoverageView openCoverage(@QueryParam("probeRun") String probeRun, @QueryParam("suiteVersion") String suiteVersion,
            @QueryParam("candidate") String candidate, @QueryParam("baseline") String baseline);
}
