package dev.lookout.ingest.service;

import dev.lookout.ingest.config.IngestConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/** Marks running runs that sent no data for lookout.ingest.stalled-after as stalled; new data makes them running again. */
@ApplicationScoped
public class RunStatusScheduler {

    private static final Logger LOG = Logger.getLogger(RunStatusScheduler.class);

    private final RunService runs;
    private final IngestConfig config;

    public RunStatusScheduler(RunService runs, IngestConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Scheduled(every = "${lookout.ingest.stalled-check-every}", delayed = "${lookout.ingest.stalled-check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markStalled() {
        int n = runs.markStalled(Instant.now().minus(config.stalledAfter()));
        if (n > 0) {
            LOG.infof("%d run(s) sent no data for %s and are now stalled", n, config.stalledAfter());
        }
    }
}
