package dev.lookout.review.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishes outbox rows to review.events with publisher confirms, then marks them published.
 * Rows are locked FOR UPDATE SKIP LOCKED, so several instances never send the same row at once;
 * a crash between confirm and commit re-sends (consumers dedupe on eventId).
 * <p>
 * Each batch runs in a plain JDBC transaction, not JTA: the confirms complete on the broker's event loop, and a
 * JTA transaction waited on there was seen committing "with 2 threads active" and rolling back under load.
 */
@ApplicationScoped
public class OutboxRelay {

    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final DataSource dataSource;
    private final MutinyEmitter<JsonObject> emitter;

    public OutboxRelay(DataSource dataSource,
                       @Channel(Channels.REVIEW_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                       MutinyEmitter<JsonObject> emitter) {
        this.dataSource = dataSource;
        this.emitter = emitter;
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        try {
            int sent;
            do {
                sent = publishBatch();
            } while (sent == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay: publishing failed, will retry (%s)", e.getMessage());
        }
    }

    /** Sends one batch and waits for every confirm; returns how many rows were published. */
    int publishBatch() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<UUID> ids = new ArrayList<>();
                List<Uni<Void>> confirms = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT id, event_type, CAST(payload AS text) FROM reviews.outbox WHERE published_at IS NULL
                         ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED""")) {
                    ps.setInt(1, BATCH);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            UUID id = rs.getObject(1, UUID.class);
                            ids.add(id);
                            OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                                    .withRoutingKey(rs.getString(2))
                                    .withContentType("application/json")
                                    .withMessageId(id.toString())
                                    .withDeliveryMode(2)
                                    .build();
                            confirms.add(emitter.sendMessage(
                                    Message.of(new JsonObject(rs.getString(3))).addMetadata(metadata)));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                Uni.join().all(confirms).andFailFast().await().atMost(Duration.ofSeconds(15));
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE reviews.outbox SET published_at = now() WHERE id = ANY(?)")) {
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
