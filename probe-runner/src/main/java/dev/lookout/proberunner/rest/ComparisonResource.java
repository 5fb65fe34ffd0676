package dev.lookout.proberunner.rest;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.lookout.platform.Roles;
import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.ComparisonService;
import io.smallrye.common.annotation.Blocking;

@Path("/api/comparisons")
@Produces(MediaType.APPLICATION_JSON)
public class ComparisonResource {

    private final ComparisonService comparisons;
    private final ProjectAccess access;

    public ComparisonResource(ComparisonService comparisons, ProjectAccess access) {
        this.comparisons = comparisons;
        this.access = access;
    }

    /**
     * ?probeRun=<id>, or ?suiteVersion=<id>&candidate=<endpoint>/<model>&baseline=<endpoint>/<model>: taken from the
     * cache while the outputs behind it are unchanged. On a worker thread (a first semantic comparison embeds every
     * answer).
     */
    @GET
    @Blocking
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ComparisonResponse.class)))
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public ComparisonResponse compare(@QueryParam("probeRun") UUID probeRun,
            @QueryParam("suiteVersion") UUID suiteVersion, @QueryParam("candidate") String candidate,
            @QueryParam("baseline") String baseline) {
        if (probeRun != null) {
            return ComparisonMapper.toResponse(comparisons.forProbeRun(access.caller(), probeRun));
        }
        if (suiteVersion == null || candidate == null || baseline == null) {
            throw new BadInputException(400, "Give either probeRun, or suiteVersion with candidate and baseline",
                    java.util.List.of(new BadInputException.Problem("probeRun", "or suiteVersion+candidate+baseline")));
        }
        return ComparisonMapper.toResponse(
                comparisons.forTargets(access.caller(), suiteVersion, candidate, baseline));
    }
}
