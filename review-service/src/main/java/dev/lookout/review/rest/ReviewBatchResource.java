package dev.lookout.review.rest;

import dev.lookout.review.service.BatchService;
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

import java.util.List;
import java.util.UUID;

import static dev.lookout.review.config.Roles.ADMIN;
import static dev.lookout.review.config.Roles.ENGINEER;
import static dev.lookout.review.config.Roles.REVIEWER;
import static dev.lookout.review.config.Roles.SERVICE;
import static dev.lookout.review.config.Roles.VIEWER;

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

    /** Closes the batch: it hands out no more tasks and refuses votes (409) from now on. */
    @POST
    @Path("/{batch}/close")
    @RolesAllowed({ENGINEER, ADMIN})
    public BatchResponse close(@PathParam("batch") UUID batch) {
        return BatchResponse.from(batches.close(caller.get(), batch));
    }

    /** Builds the batch of a completed probe run (201), or returns the one it already has (200). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ENGINEER, ADMIN})
    public Response create(@NotNull @Valid CreateBatchRequest request, UriInfo uri) {
        BatchService.Created created = batches.createOnDemand(caller.get(), request.project(), request.probeRun(),
                request.size(), request.reviewsPerItem());
        BatchResponse body = BatchResponse.from(created.summary());
        if (!created.created()) {
            return Response.ok(body).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(body.id().toString()).build()).entity(body).build();
    }
}
