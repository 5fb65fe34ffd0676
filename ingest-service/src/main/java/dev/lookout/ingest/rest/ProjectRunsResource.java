package dev.lookout.ingest.rest;

import dev.lookout.platform.ProjectKeys;
import dev.lookout.platform.Roles;
import dev.lookout.ingest.service.BadInputException;
import dev.lookout.ingest.service.RunService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * Get-or-create of a run by name, for training jobs that restart: {@code PUT /api/projects/{key}/runs/{name}}
 * answers 200 with the existing run (as it is) or 201 with the run it created; either way with its Location.
 */
@Path("/api/projects/{key}/runs/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectRunsResource {


    private final RunService runs;

    public ProjectRunsResource(RunService runs) {
        this.runs = runs;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
    public Response put(@PathParam("key") String project, @PathParam("name") String name,
                        @NotNull @Valid PutRunRequest req) {
        if (!ProjectKeys.isValid(project)) {
            throw new BadInputException(400, "the project key must be letters, digits, . _ - (at most 100)",
                    List.of(BadInputException.Problem.atField("project", "must be a project key")));
        }
        if (name.isBlank() || name.length() > 200) {
            throw new BadInputException(400, "the run name must be 1 to 200 characters",
                    List.of(BadInputException.Problem.atField("name", "must be 1 to 200 characters")));
        }
        var got = runs.getOrCreate(new RunService.NewRun(project, name, req.labels(), req.baseline().endpoint(),
                req.baseline().model(), req.suite()));
        return Response.status(got.created() ? Response.Status.CREATED : Response.Status.OK)
                .header("Location", "/api/runs/" + got.run().id)
                .entity(RunResponse.from(got.run())).build();
    }
}
