package dev.lookout.review.rest;

import dev.lookout.review.service.Caller;
import dev.lookout.review.service.NotFoundException;
import dev.lookout.review.service.ProjectSettingsService;
import dev.lookout.review.service.ReviewSettings;
import dev.lookout.review.service.RubricTag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

import static dev.lookout.platform.Roles.ADMIN;
import static dev.lookout.platform.Roles.ENGINEER;
import static dev.lookout.platform.Roles.REVIEWER;
import static dev.lookout.platform.Roles.SERVICE;
import static dev.lookout.platform.Roles.VIEWER;

/** A project's rubric and review settings; another project's answer 404 like a missing one. */
@Path("/api/projects/{key}")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectSettingsResource {

    private final ProjectSettingsService settings;
    private final CurrentCaller caller;

    public ProjectSettingsResource(ProjectSettingsService settings, CurrentCaller caller) {
        this.settings = settings;
        this.caller = caller;
    }

    @GET
    @Path("/rubric")
    @RolesAllowed({VIEWER, REVIEWER, ENGINEER, ADMIN, SERVICE})
    public List<RubricTag> rubric(@PathParam("key") String project) {
        return settings.rubric(visible(project));
    }

    /** Replaces the rubric; tags keep their ids (a renamed label keeps its votes), removed ones stay resolvable. */
    @PUT
    @Path("/rubric")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ENGINEER, ADMIN})
    public List<RubricTag> replaceRubric(@PathParam("key") String project, @NotNull List<RubricTag> tags) {
        return settings.replaceRubric(visible(project), tags);
    }

    @GET
    @Path("/review-settings")
    @RolesAllowed({VIEWER, REVIEWER, ENGINEER, ADMIN, SERVICE})
    public ReviewSettings reviewSettings(@PathParam("key") String project) {
        return settings.settings(visible(project));
    }

    @PUT
    @Path("/review-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ENGINEER, ADMIN})
    public ReviewSettings saveReviewSettings(@PathParam("key") String project, @NotNull ReviewSettings given) {
        Caller current = caller.get();
        visible(project);
        ReviewSettings complete = new ReviewSettings(given.against() == null ? "both" : given.against(),
                given.stopWhenDecided(), given.maxVotes());
        return settings.saveSettings(current, project, complete);
    }

    private String visible(String project) {
        if (!caller.get().canSee(project)) {
            throw new NotFoundException("project not found");
        }
        return project;
    }
}
