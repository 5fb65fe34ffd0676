package dev.lookout.proberunner.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.config.ProbeRunnerConfig;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

/**
 * Publishes outbox rows (events → probe-runner.events, calls → probe-runner.work) with publisher confirms, then
 * marks them published. Rows are locked FOR UPDATE SKIP LOCKED, so several instances never send the same batch;
 * a crash between confirm and commit re-sends (consumers dedupe).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 500;
    /** The only value of the test-only {@code lookout.outbox.failpoint}. */
    static final String EXIT_AFTER_PUBLISH = "exit-after-publish";

    private final DataSource dataSource;
    private final Publisher publisher;
    /** One drain at a time per instance; a trigger during a drain makes it go round once more. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final boolean exitAfterPublish;

    public OutboxRelay(DataSource dataSource, Publisher publisher, ProbeRunnerConfig config) {
        this.dataSource = dataSource;
        this.publisher = publisher;
        String failpoint = config.outbox().failpoint().orElse("");
        if (!failpoint.isEmpty() && !EXIT_AFTER_PUBLISH.equals(failpoint)) {
            throw new IllegalStateException("lookout.outbox.failpoint (test only) must be unset or "
                    + EXIT_AFTER_PUBLISH + ", got: " + failpoint);
        }
        this.exitAfterPublish = !failpoint.isEmpty();
        if (exitAfterPublish) {
            LOG.warn("TEST-ONLY failpoint lookout.outbox.failpoint=" + EXIT_AFTER_PUBLISH
                    + " is set: the JVM halts after the first confirmed outbox batch");
        }
    }

    /** Safety sweep (the scheduler's resolution is 1 s); most rows go out through {@link #trigger()}. */
    @Scheduled(every = "${lookout.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void relay() {
        drain();
    }

    /** Called after a transaction that wrote outbox rows commits: publish now, on a worker thread. */
    public void trigger() {
        again.set(true);
        if (!draining.get()) {
            Infrastructure.getDefaultWorkerPool().execute(this::drain);
        }
    }

    void drain() {
        if (!draining.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                int sent;
                do {
                    sent = relayBatch();
                } while (sent == BATCH);
            } while (again.get());
        } catch (RuntimeException e) {
            again.set(false); // the broker or DB is unhappy: leave it to the next sweep
            LOG.warnf("outbox relay: publishing failed, will retry: %s", e.getMessage());
        } finally {
            draining.set(false);
        }
        if (again.get()) {
            trigger(); // a commit raced with the end of this drain
        }
    }

    /**
     * One batch in a plain JDBC transaction (not JTA: waiting for the broker's confirms on this thread must not
     * leave a JTA transaction that context propagation could carry onto the event loop). All rows are published at
     * once and the confirms awaited together; a failure rolls back (the rows stay unpublished for the next sweep).
     */
    int relayBatch() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Uni<Void>> confirms = new ArrayList<>();
                List<UUID> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        select id, destination, event_type, cast(payload as text) from outbox
                        where published_at is null order by created_at limit ? for update skip locked
                        """)) {
                    ps.setInt(1, BATCH);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            UUID id = rs.getObject(1, UUID.class);
                            ids.add(id);
                            confirms.add(publisher.publish(rs.getString(2), rs.getString(3), id.toString(),
                                    new JsonObject(rs.getString(4))));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                Uni.join().all(confirms).andFailFast().await().atMost(Duration.ofSeconds(30));
                if (exitAfterPublish) {
                    LOG.errorf("TEST-ONLY failpoint: halting after the broker confirmed %d outbox rows, before marking "
                            + "them sent", ids.size());
                    Runtime.getRuntime().halt(86);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "update outbox set published_at = now() where id = any(?)")) {
                    ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                    ps.executeUpdate();
                }
                c.commit();
                return ids.size();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
