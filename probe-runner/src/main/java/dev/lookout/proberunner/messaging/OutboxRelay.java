package dev.lookout.proberunner.messaging;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lookout.platform.outbox.JdbcOutboxStore;
import dev.lookout.platform.outbox.OutboxMessage;
import dev.lookout.platform.outbox.OutboxRelayLoop;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

/**
 * Publishes the outbox (events → probe-runner.events, calls → probe-runner.work, by the row's destination) with the
 * shared relay loop ({@link OutboxRelayLoop}: claim SKIP LOCKED, publish with confirms, then mark). Besides the safety
 * sweep, {@link OutboxWriter} triggers it right after each commit that wrote rows; and the test-only failpoint
 * {@code lookout.outbox.failpoint=exit-after-publish} halts the JVM between the confirms and the mark.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 500;
    /** The only value of the test-only {@code lookout.outbox.failpoint}. */
    static final String EXIT_AFTER_PUBLISH = "exit-after-publish";

    private final Publisher publisher;
    private final OutboxRelayLoop loop;

    public OutboxRelay(DataSource dataSource, Publisher publisher, ProbeRunnerConfig config) {
        this.publisher = publisher;
        OutboxRelayLoop.Options options = OutboxRelayLoop.Options.of(BATCH, Duration.ofSeconds(30));
        String failpoint = config.outbox().failpoint().orElse("");
        if (!failpoint.isEmpty() && !EXIT_AFTER_PUBLISH.equals(failpoint)) {
            throw new IllegalStateException("lookout.outbox.failpoint (test only) must be unset or "
                    + EXIT_AFTER_PUBLISH + ", got: " + failpoint);
        }
        if (!failpoint.isEmpty()) {
            LOG.warn("TEST-ONLY failpoint lookout.outbox.failpoint=" + EXIT_AFTER_PUBLISH
                    + " is set: the JVM halts after the first confirmed outbox batch");
            options = options.afterConfirm(OutboxRelay::halt);
        }
        this.loop = new OutboxRelayLoop(JdbcOutboxStore.withDestinations(dataSource, "outbox"), this::publish, options);
    }

    /** Safety sweep (the scheduler's resolution is 1 s); most rows go out through {@link #trigger()}. */
    @Scheduled(every = "${lookout.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void relay() {
        loop.drain();
    }

    /** Called after a transaction that wrote outbox rows commits: publish now, on a worker thread. */
    public void trigger() {
        loop.trigger(Infrastructure.getDefaultWorkerPool());
    }

    private CompletionStage<Void> publish(OutboxMessage m) {
        return publisher.publish(m.destination(), m.type(), m.id().toString(), new JsonObject(m.payload()))
                .subscribeAsCompletionStage();
    }

    private static void halt(int confirmed) {
        LOG.errorf("TEST-ONLY failpoint: halting after the broker confirmed %d outbox rows, before marking them sent",
                confirmed);
        Runtime.getRuntime().halt(86);
    }
}
