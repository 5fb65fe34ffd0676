package dev.lookout.gateway.client;

import dev.lookout.gateway.client.UpstreamViews.ComparisonView;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.concurrent.CompletionStage;

@RegisterRestClient(configKey = "probe-runner")
@RegisterProvider(AccessTokenForwarder.class)
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface ProbeRunnerClient {

    @GET
    @Path("/probe-runs")
    List<ProbeRunView> probeRunsOfRun(@QueryParam("run") String run);

    /**
     * The comparison of one probe run (candidate = its first target, baseline = its second). Asynchronous, so the
     * round report asks for every checkpoint at once; the caller passes its {@code Authorization} explicitly because
     * the request may complete on another thread.
     */
    @GET
    @Path("/comparisons")
    CompletionStage<ComparisonView> comparisonOfProbeRun(@QueryParam("probeRun") String probeRun,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    /** Candidate vs baseline over the outputs of one suite version, whichever probe runs produced them. */
    @GET
    @Path("/comparisons")
    CompletionStage<ComparisonView> comparisonOfTargets(@QueryParam("suiteVersion") String suiteVersion,
            @QueryParam("candidate") String candidate, @QueryParam("baseline") String baseline,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
