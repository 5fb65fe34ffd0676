package dev.lookout.gateway.service;

import dev.lookout.gateway.client.IngestClient;
import dev.lookout.gateway.client.ProbeRunnerClient;
import dev.lookout.gateway.client.ReviewClient;
import dev.lookout.gateway.client.UpstreamViews;
import dev.lookout.gateway.client.UpstreamViews.AlarmView;
import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.proxy.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
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

    public RoundReportService(@RestClient IngestClient ingest, @RestClient ProbeRunnerClient probeRunner,
            @RestClient ReviewClient review) {
        this.ingest = ingest;
        this.probeRunner = probeRunner;
        this.review = review;
    }

    public RoundReport report(String runId) {
        RunView run = required(runId, () -> ingest.run(runId));
        List<CheckpointView> checkpoints = UpstreamViews.orEmpty(required(runId, () -> ingest.checkpoints(runId)));
        Optional<List<ProbeRunView>> probeRuns = optional(Upstream.PROBE_RUNNER,
                () -> probeRunner.probeRunsOfRun(runId));
        Optional<List<VerdictView>> verdicts = optional(Upstream.REVIEW, () -> review.verdictsOfRun(runId));
        Optional<List<AlarmView>> alarms = optional(Upstream.INGEST, () -> ingest.alarms(runId));
        return RoundReportComposer.compose(run, checkpoints, probeRuns, verdicts, alarms);
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
