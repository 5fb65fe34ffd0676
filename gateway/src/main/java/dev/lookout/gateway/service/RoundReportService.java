package dev.lookout.gateway.service;

import dev.lookout.gateway.client.IngestClient;
import dev.lookout.gateway.client.ProbeRunnerClient;
import dev.lookout.gateway.client.ReviewClient;
import dev.lookout.gateway.client.UpstreamViews;
import dev.lookout.gateway.client.UpstreamViews.AlarmView;
import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.ComparisonView;
import dev.lookout.gateway.client.UpstreamViews.CoverageView;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.StrengthView;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.platform.Roles;
import dev.lookout.gateway.proxy.Upstream;
import dev.lookout.gateway.security.CallerToken;
import dev.lookout.gateway.service.RoundReportComposer.ComparisonRequest;
import dev.lookout.gateway.service.RoundReportComposer.RowComparisons;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Fetches what the round report needs with the caller's token. ingest is required (404 stays 404);
 * probe-runner and review-service are optional: short timeouts, and the report says what is missing.
 */
@ApplicationScoped
public class RoundReportService {

    private static final Logger LOG = Logger.getLogger(RoundReportService.class);

    private final IngestClient ingest;
    private final ProbeRunnerClient probeRunner;
    private final ReviewClient review;
    private final SecurityIdentity identity;

    /**
     * All comparisons are asked at once; whatever has not answered after this long is reported as missing (each call
     * also has probe-runner's read timeout).
     */
    static final Duration COMPARISONS_DEADLINE = Duration.ofSeconds(4);

    public RoundReportService(@RestClient IngestClient ingest, @RestClient ProbeRunnerClient probeRunner,
            @RestClient ReviewClient review, SecurityIdentity identity) {
        this.ingest = ingest;
        this.probeRunner = probeRunner;
        this.review = review;
        this.identity = identity;
    }

    public RoundReport report(String runId) {
        RunView run = required(runId, () -> ingest.run(runId));
        List<CheckpointView> checkpoints = UpstreamViews.orEmpty(required(runId, () -> ingest.checkpoints(runId)));
        Optional<List<ProbeRunView>> probeRuns = optional(Upstream.PROBE_RUNNER,
                () -> probeRunner.probeRunsOfRun(runId));
        Optional<List<VerdictView>> verdicts = optional(Upstream.REVIEW, () -> review.verdictsOfRun(runId));
        Optional<List<AlarmView>> alarms = optional(Upstream.INGEST, () -> ingest.alarms(runId));
        Optional<List<StrengthView>> strengths = optional(Upstream.REVIEW, () -> review.strengthsOfRun(runId));
        RowComparisons comparisons = probeRuns
                .map(runs -> comparisons(RoundReportComposer.comparisonsToFetch(checkpoints, runs)))
                .orElse(RowComparisons.NONE);
        return RoundReportComposer.compose(run, checkpoints, probeRuns, verdicts, alarms, comparisons, strengths);
    }

    /** Asks probe-runner for every comparison at once; each one that fails or is late is FAILED, a 404 is NONE. */
    RowComparisons comparisons(List<ComparisonRequest> requests) {
        if (requests.isEmpty()) {
            return RowComparisons.NONE;
        }
        String authorization = CallerToken.of(identity).map(token -> "Bearer " + token).orElse(null);
        boolean blind = Roles.reviewerOnly(identity::hasRole);
        List<CompletableFuture<Fetched<ComparisonView>>> calls = new ArrayList<>(requests.size());
        for (ComparisonRequest r : requests) {
            CompletableFuture<Fetched<ComparisonView>> call;
            if (blind && !clearedForReviewer(r)) {
                calls.add(CompletableFuture.completedFuture(Fetched.hidden()));
                continue;
            }
            try {
                call = (r.vsPrevious()
                        ? probeRunner.comparisonOfTargets(r.suiteVersion(), r.candidate(), r.baseline(), authorization)
                        : probeRunner.comparisonOfProbeRun(r.probeRunId(), authorization))
                        .toCompletableFuture()
                        .thenApply(Fetched::of)
                        .exceptionally(RoundReportService::fetchFailure);
            } catch (RuntimeException e) {
                call = CompletableFuture.completedFuture(fetchFailure(e));
            }
            calls.add(call);
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .get(COMPARISONS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warnf("probe-runner comparisons for the round report: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Fetched<ComparisonView>> base = new HashMap<>();
        Map<String, Fetched<ComparisonView>> previous = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            CompletableFuture<Fetched<ComparisonView>> call = calls.get(i);
            Fetched<ComparisonView> result = call.isDone() && !call.isCompletedExceptionally()
                    ? call.getNow(Fetched.failed()) : Fetched.failed();
            call.cancel(false);
            (requests.get(i).vsPrevious() ? previous : base).put(requests.get(i).checkpointId(), result);
        }
        return new RowComparisons(base, previous);
    }

    /**
     * A reviewer-only caller sees a comparison's per-side aggregates (stock phrases, check pass rates) only when no open
     * review batch covers it: they would hint which side of a task is the candidate. When review-service cannot say,
     * the comparison stays hidden.
     */
    private boolean clearedForReviewer(ComparisonRequest r) {
        try {
            CoverageView coverage = r.vsPrevious()
                    ? review.openCoverage(null, r.suiteVersion(), r.candidate(), r.baseline())
                    : review.openCoverage(r.probeRunId(), null, null, null);
            return coverage != null && Boolean.FALSE.equals(coverage.covered());
        } catch (RuntimeException e) {
            LOG.warnf("review-service did not answer the blind-review check for the round report: %s", e.toString());
            return false;
        }
    }

    private static Fetched<ComparisonView> fetchFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof WebApplicationException e && e.getResponse() != null
                && e.getResponse().getStatus() == 404) {
            return Fetched.none();
        }
        LOG.warnf("probe-runner did not return a comparison for the round report: %s", cause.toString());
        return Fetched.failed();
    }

    private static <T> T required(String runId, Supplier<T> call) {
        try {
            T value = call.get();
            if (value == null) {
                throw new RunNotFoundException(runId);
            }
            return value;
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 404) {
                throw new RunNotFoundException(runId);
            }
            if (status == 401 || status == 403) {
                throw new UpstreamStatusException(status, "ingest-service refused this request.");
            }
            throw new UpstreamUnavailableException(Upstream.INGEST, e);
        } catch (RunNotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UpstreamUnavailableException(Upstream.INGEST, e);
        }
    }

    private static <T> Optional<List<T>> optional(Upstream upstream, Supplier<List<T>> call) {
        try {
            return Optional.of(UpstreamViews.orEmpty(call.get()));
        } catch (RuntimeException e) {
            LOG.warnf("%s did not answer for the round report: %s", upstream.serviceName(), e.toString());
            return Optional.empty();
        }
    }
}
