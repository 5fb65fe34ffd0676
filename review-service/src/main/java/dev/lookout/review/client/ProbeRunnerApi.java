package dev.lookout.review.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.UUID;

/** Typed client of probe-runner; wrapped by {@link ProbeRunnerClient}, which adds the service token. */
@RegisterRestClient(configKey = "probe-runner")
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
interface ProbeRunnerApi {

    @GET
    @Path("/comparisons")
    Comparison comparison(@HeaderParam("Authorization") String authorization, @QueryParam("probeRun") UUID probeRun);

    /** The latest outputs of two targets on one suite version; targets as "endpoint/model". */
    @GET
    @Path("/comparisons")
    Comparison comparisonOfTargets(@HeaderParam("Authorization") String authorization,
                                   @QueryParam("suiteVersion") UUID suiteVersion,
                                   @QueryParam("candidate") String candidate, @QueryParam("baseline") String baseline);

    /** Every probe run of a training run (all checkpoints), any status. */
    @GET
    @Path("/probe-runs")
    java.util.List<ProbeRunView> probeRunsOfRun(@HeaderParam("Authorization") String authorization,
                                                @QueryParam("project") String project, @QueryParam("run") UUID run);

    @GET
    @Path("/probe-runs/{id}")
    ProbeRunView probeRun(@HeaderParam("Authorization") String authorization, @PathParam("id") UUID id);
}
