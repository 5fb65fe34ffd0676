package dev.lookout.review.rest;

import dev.lookout.review.service.BadInputException;
import dev.lookout.review.service.Target;
import dev.lookout.review.service.VerdictService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.lookout.platform.Roles.ADMIN;
import static dev.lookout.platform.Roles.ENGINEER;
import static dev.lookout.platform.Roles.REVIEWER;
import static dev.lookout.platform.Roles.SERVICE;
import static dev.lookout.platform.Roles.VIEWER;

@Path("/api/verdicts")
@Produces(MediaType.APPLICATION_JSON)
public class VerdictResource {

    private final VerdictService verdicts;
    private final CurrentCaller caller;

    public VerdictResource(VerdictService verdicts, CurrentCaller caller) {
        this.verdicts = verdicts;
        this.caller = caller;
    }

    /** Bradley–Terry strengths of every target of the run (log scale, base model = 0) with 95 % bootstrap intervals. */
    @GET
    @Path("/bradley-terry")
    @RolesAllowed({VIEWER, REVIEWER, ENGINEER, ADMIN, SERVICE})
    public List<StrengthResponse> bradleyTerry(@QueryParam("run") UUID run) {
        if (run == null) {
            throw new BadInputException("run is required", List.of(new BadInputException.Where("run", "required")));
        }
        return verdicts.bradleyTerry(caller.get(), run).stream().map(StrengthResponse::from).toList();
    }

    /** ?run=&lt;runId&gt; → one verdict per checkpoint probe run; ?project=&amp;candidate=&amp;baseline= → one verdict. */
    @GET
    @RolesAllowed({VIEWER, REVIEWER, ENGINEER, ADMIN, SERVICE})
    public Response get(@QueryParam("run") UUID run, @QueryParam("project") String project,
                        @QueryParam("candidate") String candidate, @QueryParam("baseline") String baseline) {
        if (run != null) {
            return Response.ok(verdicts.forRun(caller.get(), run).stream().map(VerdictResponse::from).toList()).build();
        }
        List<BadInputException.Where> errors = new ArrayList<>();
        Target candidateTarget = Target.parse(candidate);
        Target baselineTarget = Target.parse(baseline);
        if (project == null || project.isBlank()) {
            errors.add(new BadInputException.Where("project", "required unless run is given"));
        }
        if (candidateTarget == null) {
            errors.add(new BadInputException.Where("candidate", "required as <endpoint>/<model> unless run is given"));
        }
        if (baselineTarget == null) {
            errors.add(new BadInputException.Where("baseline", "required as <endpoint>/<model> unless run is given"));
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("give run, or project with candidate and baseline", errors);
        }
        return Response.ok(VerdictResponse.from(
                verdicts.forTargets(caller.get(), project, candidateTarget, baselineTarget))).build();
    }
}
