package dev.lookout.review.rest;

import dev.lookout.review.service.BadInputException;
import dev.lookout.review.service.BatchService;
import dev.lookout.review.service.Target;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.lookout.platform.Roles.ADMIN;
import static dev.lookout.platform.Roles.ENGINEER;
import static dev.lookout.platform.Roles.REVIEWER;
import static dev.lookout.platform.Roles.SERVICE;
import static dev.lookout.platform.Roles.VIEWER;

@Path("/api/review-batches")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewBatchResource {

    private final BatchService batches;
    private final CurrentCaller caller;

    public ReviewBatchResource(BatchService batches, CurrentCaller caller) {
        this.batches = batches;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({VIEWER, REVIEWER, ENGINEER, ADMIN, SERVICE})
    public List<BatchResponse> list(@QueryParam("project") String project) {
        return batches.list(caller.get(), project).stream().map(BatchResponse::from).toList();
    }

    @GET
    @Path("/{batch}")
    @RolesAllowed({VIEWER, REVIEWER, ENGINEER, ADMIN, SERVICE})
    public BatchResponse get(@PathParam("batch") UUID batch) {
        return BatchResponse.from(batches.get(caller.get(), batch));
    }

    /**
     * Whether an open batch of the caller's projects covers a probe run ({@code ?probeRun=}) or a pair on a suite
     * version ({@code ?suiteVersion=&candidate=<endpoint>/<model>&baseline=<endpoint>/<model>}), i.e. whether the
     * outputs or comparison asked about hold texts of items still under blind review. The gateway asks this (with the
     * caller's token) before it lets a reviewer-only caller read comparisons or probe-run outputs.
     */
    @GET
    @Path("/open-coverage")
    @RolesAllowed({VIEWER, REVIEWER, ENGINEER, ADMIN, SERVICE})
    public CoverageResponse openCoverage(@QueryParam("probeRun") UUID probeRun,
                                         @QueryParam("suiteVersion") UUID suiteVersion,
                                         @QueryParam("candidate") String candidate,
                                         @QueryParam("baseline") String baseline) {
        if (probeRun != null) {
            return new CoverageResponse(batches.openBatchCovers(caller.get(), probeRun));
        }
        Target candidateTarget = Target.parse(candidate);
        Target baselineTarget = Target.parse(baseline);
        List<BadInputException.Where> errors = new ArrayList<>();
        if (suiteVersion == null) {
            errors.add(new BadInputException.Where("suiteVersion", "required unless probeRun is given"));
        }
        if (candidateTarget == null) {
            errors.add(new BadInputException.Where("candidate", "required as <endpoint>/<model> unless probeRun is given"));
        }
        if (baselineTarget == null) {
            errors.add(new BadInputException.Where("baseline", "required as <endpoint>/<model> unless probeRun is given"));
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("give probeRun, or suiteVersion with candidate and baseline", errors);
        }
        return new CoverageResponse(batches.openBatchCovers(caller.get(), suiteVersion, candidateTarget, baselineTarget));
    }

    /** Closes the batch: it hands out no more tasks and refuses votes (409) from now on. */
    @POST
    @Path("/{batch}/close")
    @RolesAllowed({ENGINEER, ADMIN})
    public BatchResponse close(@PathParam("batch") UUID batch) {
        return BatchResponse.from(batches.close(caller.get(), batch));
    }

    /**
     * Builds the batch of a completed probe run, or of a suite version's latest outputs for a candidate/baseline pair
     * (201); returns the batch that already covers it (200).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ENGINEER, ADMIN})
    public Response create(@NotNull @Valid CreateBatchRequest request, UriInfo uri) {
        checkShape(request);
        BatchService.Created created = request.probeRun() != null
                ? batches.createOnDemand(caller.get(), request.project(), request.probeRun(),
                        request.size(), request.reviewsPerItem(), request.stopping())
                : batches.createForTargets(caller.get(), request.project(), request.suiteVersion(),
                        target(request.candidate()), target(request.baseline()),
                        request.size(), request.reviewsPerItem(), request.stopping());
        BatchResponse body = BatchResponse.from(created.summary());
        if (!created.created()) {
            return Response.ok(body).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(body.id().toString()).build()).entity(body).build();
    }

    private static boolean anyTargetField(CreateBatchRequest request) {
        return request.suiteVersion() != null || request.candidate() != null || request.baseline() != null;
    }

    private static Target target(CreateBatchRequest.TargetRequest given) {
        return given == null ? null : new Target(given.endpoint().strip(), given.model().strip());
    }

    /** Exactly one of probeRun or suiteVersion+candidate+baseline; otherwise 422 naming the field(s). */
    static void checkShape(CreateBatchRequest request) {
        List<BadInputException.Where> errors = new ArrayList<>();
        if (request.probeRun() != null) {
            if (anyTargetField(request)) {
                if (request.suiteVersion() != null) {
                    errors.add(new BadInputException.Where("suiteVersion", "not allowed together with probeRun"));
                }
                if (request.candidate() != null) {
                    errors.add(new BadInputException.Where("candidate", "not allowed together with probeRun"));
                }
                if (request.baseline() != null) {
                    errors.add(new BadInputException.Where("baseline", "not allowed together with probeRun"));
                }
                throw new BadInputException("give either probeRun, or suiteVersion with candidate and baseline, not both",
                        errors);
            }
            return;
        }
        if (!anyTargetField(request)) {
            throw new BadInputException("give probeRun, or suiteVersion with candidate and baseline",
                    List.of(new BadInputException.Where("probeRun", "required unless suiteVersion, candidate and"
                            + " baseline are given")));
        }
        if (request.suiteVersion() == null) {
            errors.add(new BadInputException.Where("suiteVersion", "required with candidate and baseline"));
        }
        if (request.candidate() == null) {
            errors.add(new BadInputException.Where("candidate", "required with suiteVersion: {endpoint, model}"));
        } else if (request.candidate().endpoint().contains("/")) {
            errors.add(new BadInputException.Where("candidate.endpoint", "an endpoint name has no '/'"));
        }
        if (request.baseline() == null) {
            errors.add(new BadInputException.Where("baseline", "required with suiteVersion: {endpoint, model}"));
        } else if (request.baseline().endpoint().contains("/")) {
            errors.add(new BadInputException.Where("baseline.endpoint", "an endpoint name has no '/'"));
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("a batch by targets needs suiteVersion, candidate {endpoint, model} and"
                    + " baseline {endpoint, model}", errors);
        }
    }
}
