package dev.lookout.review.rest;

import dev.lookout.review.service.ReviewService;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

import static dev.lookout.platform.Roles.ADMIN;
import static dev.lookout.platform.Roles.REVIEWER;

@Path("/api/reviews")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    private final ReviewService reviews;
    private final CurrentCaller caller;

    public ReviewResource(ReviewService reviews, CurrentCaller caller) {
        this.reviews = reviews;
        this.caller = caller;
    }

    /**
     * Leases the caller's next blind task (200), or 204 when nothing is left for them. A POST: it changes state (a
     * lease), so browsers must send it with the CSRF header and nothing prefetches it.
     */
    @POST
    @Path("/next")
    @RolesAllowed({REVIEWER, ADMIN})
    public Response next(@QueryParam("project") @NotBlank String project, @QueryParam("run") UUID run) {
        return reviews.next(caller.get(), project, run)
                .map(task -> Response.ok(TaskResponse.from(task)).build())
                .orElseGet(() -> Response.noContent().build());
    }

    /** GET never leases: 405 problem+json naming the method to use. */
    @GET
    @Path("/next")
    @Authenticated
    public Response nextByGet() {
        throw new MethodNotAllowedException("POST", "a task is leased with POST /api/reviews/next?project=<project>");
    }

    @POST
    @Path("/{task}/vote")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({REVIEWER, ADMIN})
    public VoteResponse vote(@PathParam("task") UUID task, @NotNull @Valid VoteRequest request) {
        return VoteResponse.from(reviews.vote(caller.get(), task, request.choice(), request.tags(), request.comment()));
    }

    /** Skips the caller's task: the slot goes to another reviewer and the item never comes back to the caller; 204. */
    @POST
    @Path("/{task}/skip")
    @RolesAllowed({REVIEWER, ADMIN})
    public Response skip(@PathParam("task") UUID task) {
        reviews.skip(caller.get(), task);
        return Response.noContent().build();
    }

    /**
     * Undo: withdraws the caller's current vote on the task (kept in the history, no longer counted) and leases the
     * task to them again; 200 with the Task plus {@code previousVote}.
     */
    @DELETE
    @Path("/{task}/vote")
    @RolesAllowed({REVIEWER, ADMIN})
    public TaskResponse withdraw(@PathParam("task") UUID task) {
        return TaskResponse.from(reviews.withdraw(caller.get(), task));
    }
}
