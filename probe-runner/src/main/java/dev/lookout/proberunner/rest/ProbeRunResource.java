package dev.lookout.proberunner.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

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

import dev.lookout.platform.Roles;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.CancelledRuns;
import dev.lookout.proberunner.service.ManualRuns;
import dev.lookout.proberunner.service.ProbeRunService;

@Path("/api/probe-runs")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeRunResource {

    private final ProbeRunService runs;
    private final ManualRuns manual;
    private final ProjectAccess access;
    private final CancelledRuns cancelledRuns;

    public ProbeRunResource(ProbeRunService runs, ManualRuns manual, ProjectAccess access,
            CancelledRuns cancelledRuns) {
        this.runs = runs;
        this.manual = manual;
        this.access = access;
        this.cancelledRuns = cancelledRuns;
    }

    /** 202: the calls are queued; poll GET /api/probe-runs/{id}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response create(@Valid @NotNull CreateProbeRunRequest request) {
        ProbeRun run = manual.create(access.caller(), ProbeRunMapper.toDomain(request));
        ProbeRunCreated created = new ProbeRunCreated(run.id, run.status);
        return Response.accepted(created).location(URI.create("/api/probe-runs/" + created.id())).build();
    }

    /**
     * LLaMA-Factory generated_predictions.jsonl (raw body) as the outputs of a target evaluated offline: 201 with a
     * completed probe run of one target.
     */
    @POST
    @Path("import-predictions")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response importPredictions(@QueryParam("project") String project, @QueryParam("suite") String suite,
            @QueryParam("version") Integer version, @QueryParam("endpoint") String endpoint,
            @QueryParam("model") String model, String body) {
        if (project == null || suite == null || endpoint == null) {
            throw BadInputException.field(project == null ? "project" : suite == null ? "suite" : "endpoint",
                    "is required");
        }
        ProbeRunResponse run = ProbeRunMapper.toResponse(ProbeRunService.view(
                manual.importPredictions(access.caller(), project, suite, version, endpoint, model, body)));
        return Response.status(201).entity(run).location(URI.create("/api/probe-runs/" + run.id())).build();
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public List<ProbeRunResponse> list(@QueryParam("project") String project, @QueryParam("run") UUID run) {
        return runs.list(access.caller(), project, run).stream().map(ProbeRunMapper::toResponse).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public ProbeRunResponse get(@PathParam("id") UUID id) {
        return ProbeRunMapper.toResponse(runs.get(access.caller(), id));
    }

    @GET
    @Path("{id}/outputs")
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public List<OutputResponse> outputs(@PathParam("id") UUID id) {
        return runs.outputs(access.caller(), id).stream().map(ProbeRunMapper::toResponse).toList();
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public ProbeRunResponse cancel(@PathParam("id") UUID id) {
        ProbeRunResponse cancelled = ProbeRunMapper.toResponse(runs.cancel(access.caller(), id)); // committed
        cancelledRuns.add(id);
        return cancelled;
    }
}
