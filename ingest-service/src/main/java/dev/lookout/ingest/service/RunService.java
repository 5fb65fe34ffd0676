package dev.lookout.ingest.service;

import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.messaging.EventTypes;
import dev.lookout.ingest.messaging.OutboxWriter;
import dev.lookout.ingest.repository.RunRepository;
import dev.lookout.platform.outbox.EventFields;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class RunService {

    public record NewRun(String project, String name, Map<String, Object> labels, String baselineEndpoint,
                         String baselineModel, String suite) {
    }

    private final RunRepository runs;
    private final ProjectAccess access;
    private final OutboxWriter outbox;
    private final RunLabels labels;
    private final CatalogChecks catalog;

    public RunService(RunRepository runs, ProjectAccess access, OutboxWriter outbox, RunLabels labels,
                      CatalogChecks catalog) {
        this.runs = runs;
        this.access = access;
        this.outbox = outbox;
        this.labels = labels;
        this.catalog = catalog;
    }

    /**
     * POST /api/runs: the checks that need no database first, then the suite and baseline endpoint are asked of
     * probe-runner (422 naming the field, 503 when it cannot be asked), outside any transaction; then
     * {@link #create}.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Run open(NewRun req) {
        if (!access.canSee(req.project())) {
            throw new NotFoundException("project not found: " + req.project());
        }
        labels.check(req.labels());
        catalog.checkRun(req.project(), req.suite(), req.baselineEndpoint());
        return QuarkusTransaction.requiringNew().call(() -> create(req));
    }

    /** Creates a run (labels within lookout.ingest.labels.*, else 422) and announces it with run.created. */
    @Transactional(Transactional.TxType.REQUIRED)
    public Run create(NewRun req) {
        if (!access.canSee(req.project())) {
            throw new NotFoundException("project not found: " + req.project());
        }
        labels.check(req.labels());
        Run existing = findInProject(req.project(), req.name());
        if (existing != null) {
            throw new RunExistsException(existing.id, "a run named '" + req.name() + "' already exists in project "
                    + req.project() + "; it is " + existing.id);
        }
        Run run = new Run();
        run.id = UUID.randomUUID();
        run.project = req.project();
        run.name = req.name();
        run.labels = req.labels() == null ? Map.of() : new HashMap<>(req.labels());
        run.baselineEndpoint = req.baselineEndpoint();
        run.baselineModel = req.baselineModel();
        run.suite = req.suite();
        run.status = Run.Status.running;
        run.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        run.updatedAt = run.createdAt;
        runs.persist(run);
        runs.flush(); // the row must exist for SQL in the same transaction (metric_points' run check, row locks)
        outbox.append(EventTypes.RUN_CREATED, run.project, EventFields.of()
                .with("runId", run.id.toString())
                .with("runName", run.name));
        return run;
    }

    /** The answer of an idempotent create: the run, and whether this call created it. */
    public record Obtained(Run run, boolean created) {
    }

    /**
     * The project's run of that name as it is (the request's labels, baseline and suite are not compared), or a new
     * one created from the request through {@link #open}, so the same checks at the door apply. A concurrent create
     * of the same name ends in 409 for one of the callers.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Obtained getOrCreate(NewRun req) {
        if (!access.canSee(req.project())) {
            throw new NotFoundException("project not found: " + req.project());
        }
        Run existing = findInProject(req.project(), req.name());
        return existing != null ? new Obtained(existing, false) : new Obtained(open(req), true);
    }

    public List<Run> list(String project) {
        if (project != null && !project.isBlank()) {
            return access.canSee(project) ? runs.listInProjects(List.of(project)) : List.of();
        }
        return access.seesAll() ? runs.listAllSorted() : runs.listInProjects(access.projects());
    }

    /** One page of the runs the caller can see (of one project, or all), by (createdAt, id). */
    public Page<Run> page(String project, String after, int limit) {
        return page(project, null, after, limit);
    }

    /** As {@link #page(String, String, int)}, only runs named exactly {@code name} when it is given. */
    public Page<Run> page(String project, String name, String after, int limit) {
        java.util.Collection<String> projects;
        if (project != null && !project.isBlank()) {
            if (!access.canSee(project)) {
                return new Page<>(List.of(), null);
            }
            projects = List.of(project);
        } else {
            projects = access.seesAll() ? null : access.projects();
        }
        List<Run> fetched;
        if (after == null || after.isBlank()) {
            fetched = runs.page(projects, name, null, null, limit + 1);
        } else {
            String[] f = Cursors.decode(after, "run", 2);
            fetched = runs.page(projects, name, Cursors.instantField(f[0]), Cursors.uuidField(f[1]), limit + 1);
        }
        return Page.of(fetched, limit, r -> Cursors.encode("run", r.createdAt, r.id));
    }

    /**
     * PATCH /api/runs/{run}: the status and/or the suite (null = unchanged). A suite is checked with probe-runner
     * first (422 naming {@code suite}); checkpoints registered afterwards are probed with it.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Run patch(UUID id, Run.Status status, String suite) {
        Run run = require(id);
        if (suite != null) {
            catalog.checkSuite(run.project, suite);
        }
        return QuarkusTransaction.requiringNew().call(() -> update(id, status, suite));
    }

    /** Sets the status and/or suite (null = unchanged) of the caller's run (404 otherwise). */
    @Transactional(Transactional.TxType.REQUIRED)
    Run update(UUID id, Run.Status status, String suite) {
        Run run = require(id);
        if (status != null) {
            run.status = status;
        }
        if (suite != null) {
            run.suite = suite;
        }
        run.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return run;
    }

    /** Running runs whose last point (or creation, if none came) is older than cutoff become stalled. */
    @Transactional(Transactional.TxType.REQUIRED)
    public int markStalled(Instant cutoff) {
        return runs.update("status = ?1, updatedAt = ?2 where status = ?3 and coalesce(lastPointAt, createdAt) < ?4",
                Run.Status.stalled, Instant.now().truncatedTo(ChronoUnit.MICROS), Run.Status.running, cutoff);
    }

    /** The project's run of that name, or null (the caller checked the project is visible). */
    public Run findInProject(String project, String name) {
        return runs.find("project = ?1 and name = ?2", project, name).firstResult();
    }

    /** The run, if it exists and the caller may see it; otherwise 404. */
    public Run require(UUID id) {
        Run run = runs.findById(id);
        if (run == null || !access.canSee(run.project)) {
            throw new NotFoundException("run not found: " + id);
        }
        return run;
    }
}
