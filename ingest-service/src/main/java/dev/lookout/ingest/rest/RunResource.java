package dev.lookout.ingest.rest;

import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.platform.Roles;
import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.service.AlarmQueries;
import dev.lookout.ingest.service.BadInputException;
import dev.lookout.ingest.service.CheckpointService;
import dev.lookout.ingest.service.Cursors;
import dev.lookout.ingest.service.Page;
import dev.lookout.ingest.service.LogService;
import dev.lookout.ingest.service.MetricBatchParser;
import dev.lookout.ingest.service.MetricService;
import dev.lookout.ingest.service.RunService;
import dev.lookout.ingest.service.SeriesService;
import dev.lookout.ingest.service.TimedInputStream;
import dev.lookout.ingest.service.UploadTooLargeException;
import dev.lookout.ingest.service.parse.LogFormat;
import dev.lookout.ingest.service.parse.LogParsers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** Runs and everything hanging off a run: metrics, log uploads, series, alarms, checkpoints. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private static final Logger LOG = Logger.getLogger(RunResource.class);
    /** Response header carrying the next page's cursor (pass it back as ?after=). */
    public static final String NEXT_CURSOR = "Next-Cursor";

    private final RunService runs;
    private final MetricService metrics;
    private final LogService logs;
    private final SeriesService series;
    private final AlarmQueries alarms;
    private final CheckpointService checkpoints;
    private final IngestConfig config;

    public RunResource(RunService runs, MetricService metrics, LogService logs, SeriesService series,
                       AlarmQueries alarms, CheckpointService checkpoints, IngestConfig config) {
        this.runs = runs;
        this.metrics = metrics;
        this.logs = logs;
        this.series = series;
        this.alarms = alarms;
        this.checkpoints = checkpoints;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
    public Response create(@NotNull @Valid CreateRunRequest req, @Context UriInfo uri) {
        var run = runs.open(new RunService.NewRun(req.project(), req.name(), req.labels(), req.baseline().endpoint(),
                req.baseline().model(), req.suite()));
        LOG.debugf("run %s created in %s", run.id, run.project);
        return Response.created(uri.getAbsolutePathBuilder().path(run.id.toString()).build())
                .entity(RunResponse.from(run)).build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public Response list(@QueryParam("project") String project, @QueryParam("name") String name,
                         @QueryParam("limit") String limit, @QueryParam("after") String after, @Context UriInfo uri) {
        int n = Cursors.limit(limit, config.paging().defaultLimit(), config.paging().maxLimit());
        Page<Run> page = runs.page(project, name == null || name.isEmpty() ? null : name, after, n);
        return paged(page.items().stream().map(RunResponse::from).toList(), page.next(), n, uri);
    }

    /**
     * Lists stay JSON arrays; the next page's cursor travels in the {@code Next-Cursor} header and as an RFC 8288
     * {@code Link: <…&after=…>; rel="next"} (both absent on the last page).
     */
    static Response paged(List<?> items, String next, int limit, UriInfo uri) {
        Response.ResponseBuilder r = Response.ok(items);
        if (next != null) {
            URI link = uri.getRequestUriBuilder().replaceQueryParam("limit", limit).replaceQueryParam("after", next).build();
            r.header(NEXT_CURSOR, next).header("Link", "<" + link.getRawPath() + "?" + link.getRawQuery() + ">; rel=\"next\"");
        }
        return r.build();
    }

    @GET
    @Path("{run}")
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public RunResponse get(@PathParam("run") UUID run) {
        return RunResponse.from(runs.require(run));
    }

    @PATCH
    @Path("{run}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
    public RunResponse update(@PathParam("run") UUID run, @NotNull @Valid UpdateRunRequest req) {
        if (req.status() == null && req.suite() == null) {
            throw new BadInputException(400, "nothing to change: send status and/or suite",
                    List.of(BadInputException.Problem.atField("status", "status or suite is required")));
        }
        return RunResponse.from(runs.patch(run, req.status() == null ? null : Run.Status.valueOf(req.status()),
                req.suite()));
    }

    @POST
    @Path("{run}/metrics")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
    public MetricsBatchResponse appendMetrics(@PathParam("run") UUID run, InputStream body) {
        runs.require(run);
        InputStream timed = timed(body);
        MetricService.AppendResult r = metrics.append(run, sink -> new MetricBatchParser(config.maxPointsPerBatch()).parse(timed, sink));
        return new MetricsBatchResponse(r.stored(), r.duplicates(), r.conflicts());
    }

    @POST
    @Path("{run}/logs")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
    public UploadReportResponse uploadLog(@PathParam("run") UUID run, @QueryParam("format") @DefaultValue("auto") String format,
                                          @QueryParam("wandbRun") String wandbRun,
                                          @HeaderParam("Content-Length") Long contentLength, InputStream body) {
        LogFormat requested = null;
        if (!"auto".equalsIgnoreCase(format)) {
            requested = LogFormat.fromWireName(format).orElseThrow(() -> new BadInputException(400,
                    "unknown format '" + format + "'; use auto or one of " + LogFormat.wireNames(),
                    List.of(BadInputException.Problem.atField("format", "unknown format"))));
        }
        runs.require(run);
        if (contentLength != null && contentLength > config.maxUploadBytes()) {
            throw new UploadTooLargeException(config.maxUploadBytes());
        }
        var r = logs.upload(run, timed(body), requested, new LogParsers.Options(wandbRun, config.maxLineBytes()),
                config.maxUploadBytes());
        return new UploadReportResponse(r.format(), r.points(), r.series(),
                r.skipped().stream().map(s -> new UploadReportResponse.SkippedLine(s.line(), s.reason())).toList(),
                r.skippedTotal(), r.duplicates(), r.conflicts(), r.notes(),
                r.runs() == null ? null : r.runs().stream().map(x -> new UploadReportResponse.RunImport(x.runId(), x.name(),
                        x.wandbRun(), x.created(), x.points(), x.series(), x.duplicates(), x.conflicts())).toList());
    }

    /** The body as it arrives: cut (408) when it stalls for the idle timeout or is not complete by the deadline. */
    private InputStream timed(InputStream body) {
        return new TimedInputStream(body, config.bodyIdleTimeout(), config.bodyReadDeadline());
    }

    @GET
    @Path("{run}/series")
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public SeriesResponse series(@PathParam("run") UUID run, @QueryParam("name") List<String> names,
                                 @QueryParam("maxPoints") Integer maxPoints) {
        int max = maxPoints == null ? config.seriesDefaultMaxPoints() : maxPoints;
        if (max < 2 || max > config.seriesMaxMaxPoints()) {
            throw new BadInputException(400, "maxPoints must be between 2 and " + config.seriesMaxMaxPoints(),
                    List.of(BadInputException.Problem.atField("maxPoints", "out of range")));
        }
        return new SeriesResponse(series.read(run, names, max).stream()
                .map(s -> new SeriesResponse.Series(s.name(), s.count(), s.min(), s.max(), s.last(),
                        s.points().stream().map(p -> new SeriesResponse.Point(p.step(), p.value())).toList()))
                .toList());
    }

    @GET
    @Path("{run}/alarms")
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public Response alarms(@PathParam("run") UUID run, @QueryParam("limit") String limit, @QueryParam("after") String after,
                           @Context UriInfo uri) {
        int n = Cursors.limit(limit, config.paging().maxLimit(), config.paging().maxLimit());
        var page = alarms.page(run, after, n);
        return paged(page.items().stream().map(AlarmResponse::from).toList(), page.next(), n, uri);
    }

    @POST
    @Path("{run}/checkpoints")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
    public Response registerCheckpoint(@PathParam("run") UUID run, @NotNull @Valid RegisterCheckpointRequest req,
                                       @Context UriInfo uri) {
        if ((req.target() == null) == (req.adapter() == null)) {
            boolean neither = req.target() == null;
            throw new BadInputException(422, (neither ? "target or adapter is required" : "adapter excludes target")
                    + ": give either target {endpoint, model} (a served model) or adapter {path, endpoint} (a LoRA "
                    + "adapter Lookout loads), not both; nothing was stored",
                    List.of(BadInputException.Problem.atField(neither ? "target" : "adapter",
                            neither ? "target or adapter is required" : "excludes target")));
        }
        var c = req.adapter() != null
                ? checkpoints.registerAdapterChecked(run, req.step(), req.label(), req.adapter().path(),
                        req.adapter().endpoint(), req.adapter().name())
                : checkpoints.registerChecked(run, req.step(), req.label(), req.target().endpoint(),
                        req.target().model());
        return Response.status(Response.Status.CREATED).entity(CheckpointResponse.from(c)).build();
    }

    @GET
    @Path("{run}/checkpoints")
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public Response checkpoints(@PathParam("run") UUID run, @QueryParam("limit") String limit, @QueryParam("after") String after,
                                @Context UriInfo uri) {
        int n = Cursors.limit(limit, config.paging().maxLimit(), config.paging().maxLimit());
        var page = checkpoints.page(run, after, n);
        return paged(page.items().stream().map(CheckpointResponse::from).toList(), page.next(), n, uri);
    }
}
