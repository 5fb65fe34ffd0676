package dev.lookout.ingest.service;

import dev.lookout.ingest.client.ProbeRunnerCatalog;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses, before anything is stored, a run or checkpoint naming a suite or model endpoint its project does not have
 * (they live in probe-runner): 422 naming the field. Whether an endpoint serves the checkpoint's model is not asked
 * here (no request waits on a model server); probe-runner warns about it on the checkpoint's probe run.
 */
@ApplicationScoped
public class CatalogChecks {

    private final ProbeRunnerCatalog catalog;

    public CatalogChecks(ProbeRunnerCatalog catalog) {
        this.catalog = catalog;
    }

    /** A new run: its suite (when it names one) and its baseline endpoint. */
    public void checkRun(String project, String suite, String baselineEndpoint) {
        List<BadInputException.Problem> problems = new ArrayList<>();
        if (suite != null) {
            suiteProblem(project, suite).ifPresent(problems::add);
        }
        endpointProblem(project, baselineEndpoint, "baseline.endpoint").ifPresent(problems::add);
        refuse(problems);
    }

    /** A suite set later (PATCH /api/runs/{run}). */
    public void checkSuite(String project, String suite) {
        refuse(suiteProblem(project, suite).stream().toList());
    }

    /** A checkpoint's target endpoint. */
    public void checkCheckpointTarget(String project, String endpoint) {
        refuse(endpointProblem(project, endpoint, "target.endpoint").stream().toList());
    }

    /**
     * A checkpoint's adapter endpoint (name, or id): it must exist in the project and load adapters
     * (adapterLoading=vllm). Returns its name.
     */
    public String checkCheckpointAdapter(String project, String endpoint) {
        Optional<ProbeRunnerCatalog.EndpointInfo> found = catalog.endpoint(project, endpoint);
        if (found.isEmpty()) {
            refuse(endpointProblem(project, endpoint, "adapter.endpoint", false).stream().toList());
        }
        ProbeRunnerCatalog.EndpointInfo e = found.orElseThrow();
        if (!"vllm".equals(e.adapterLoading())) {
            refuse(List.of(BadInputException.Problem.atField("adapter.endpoint", "endpoint '" + e.name()
                    + "' does not load adapters (adapterLoading is " + (e.adapterLoading() == null ? "none"
                    : e.adapterLoading()) + "); set adapterLoading to vllm on it (PATCH /api/endpoints/"
                    + e.id() + ") or register the checkpoint with a served target {endpoint, model}")));
        }
        return e.name();
    }

    private Optional<BadInputException.Problem> suiteProblem(String project, String suite) {
        return catalog.suiteExists(project, suite) ? Optional.empty()
                : Optional.of(BadInputException.Problem.atField("suite", "suite '" + suite
                        + "' does not exist in project " + project + " (create it in probe-runner: POST /api/suites)"));
    }

    private Optional<BadInputException.Problem> endpointProblem(String project, String endpoint, String field) {
        return endpointProblem(project, endpoint, field, catalog.endpointExists(project, endpoint));
    }

    private static Optional<BadInputException.Problem> endpointProblem(String project, String endpoint, String field,
                                                                       boolean exists) {
        return exists ? Optional.empty()
                : Optional.of(BadInputException.Problem.atField(field, "endpoint '" + endpoint
                        + "' is not registered in project " + project + " (register it: POST /api/endpoints)"));
    }

    private static void refuse(List<BadInputException.Problem> problems) {
        if (!problems.isEmpty()) {
            throw new BadInputException(422, problems.get(0).field() + ": " + problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "") + "; nothing was stored",
                    problems);
        }
    }
}
