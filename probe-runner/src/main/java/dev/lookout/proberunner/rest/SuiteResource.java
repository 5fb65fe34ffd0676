package dev.lookout.proberunner.rest;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.lookout.platform.Roles;
import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.SuiteService;

@Path("/api/suites")
@Produces(MediaType.APPLICATION_JSON)
public class SuiteResource {

    public static final String YAML = "application/yaml";

    private final SuiteService suites;
    private final ProjectAccess access;
    private final Validator validator;
    private final ObjectMapper yaml;
    private final SuiteImporter importer;

    public SuiteResource(SuiteService suites, ProjectAccess access, Validator validator, ObjectMapper json) {
        this.suites = suites;
        this.access = access;
        this.validator = validator;
        this.yaml = json.copyWith(new YAMLFactory());
        this.importer = new SuiteImporter(json);
    }

    /**
     * Imports another tool's test file (raw body) as a suite version: {@code format=promptfoo|jsonl|mt-bench}.
     * Same answers as POST /api/suites.
     */
    @POST
    @Path("import")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response importSuite(@QueryParam("format") String format, @QueryParam("project") String project,
            @QueryParam("name") String name, String body) {
        if (project == null || project.isBlank()) {
            throw BadInputException.field("project", "is required");
        }
        if (name == null || name.isBlank()) {
            throw BadInputException.field("name", "is required");
        }
        CreateSuiteRequest request = new CreateSuiteRequest(project, name, importer.parse(format, body));
        Set<ConstraintViolation<CreateSuiteRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return create(request);
    }

    /** 201 for a new suite or version; 200 with the existing version when the content is unchanged. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response create(@Valid @NotNull CreateSuiteRequest request) {
        SuiteService.Saved saved = suites.save(access.caller(), request.project(), request.name(),
                ProbeMapper.toDomain(request.probes()));
        return Response.status(saved.created() ? 201 : 200).entity(toResponse(saved.suite())).build();
    }

    @POST
    @Consumes({ YAML, "application/x-yaml", "text/yaml" })
    @RolesAllowed({ Roles.ENGINEER, Roles.ADMIN })
    public Response createFromYaml(String body) {
        CreateSuiteRequest request;
        try {
            request = yaml.readValue(body == null ? "" : body, CreateSuiteRequest.class);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new BadInputException(400, "The YAML suite could not be read" + where + ": "
                    + ExceptionMappers.cleanMessage(e), loc == null ? List.of()
                            : List.of(new BadInputException.Problem("line " + loc.getLineNr(),
                                    ExceptionMappers.cleanMessage(e))));
        }
        if (request == null) {
            throw new BadInputException(400, "The YAML suite is empty", List.of());
        }
        Set<ConstraintViolation<CreateSuiteRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return create(request);
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public List<SuiteResponse> list(@QueryParam("project") String project, @QueryParam("name") String name) {
        return suites.list(access.caller(), project, name).stream().map(SuiteResource::toResponse).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE })
    public SuiteResponse get(@PathParam("id") UUID id) {
        return toResponse(suites.get(access.caller(), id));
    }

    private static SuiteResponse toResponse(SuiteService.Versioned s) {
        return new SuiteResponse(s.suite().id, s.suite().project, s.suite().name, s.version().version,
                s.version().id, s.version().probes.stream().map(ProbeMapper::toDto).toList());
    }
}
