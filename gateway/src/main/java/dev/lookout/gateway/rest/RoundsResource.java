package dev.lookout.gateway.rest;

import dev.lookout.platform.Roles;
import dev.lookout.gateway.service.RoundReport;
import dev.lookout.gateway.service.RoundReportService;
import dev.lookout.gateway.service.RunNotFoundException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.UUID;

/** GET /api/rounds/{run}: the round report, composed by the gateway from the three backends. */
@Path("/api/rounds")
@Produces(MediaType.APPLICATION_JSON)
public class RoundsResource {

    private final RoundReportService reports;

    public RoundsResource(RoundReportService reports) {
        this.reports = reports;
    }

    @GET
    @Path("/{run}")
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public RoundReport round(@PathParam("run") String run) {
        try {
            UUID.fromString(run);
        } catch (IllegalArgumentException e) {
            throw new RunNotFoundException(run);
        }
        return reports.report(run);
    }
}
