package dev.lookout.ingest.messaging;

import dev.lookout.ingest.config.IngestConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishes outbox rows every second (the Quarkus scheduler's finest interval; 0.5s would run at 1s anyway): locks a batch of unpublished rows (FOR UPDATE SKIP LOCKED), sends them with
 * publisher confirms (routing key = event type, message id = eventId), waits for the confirms and only
 * then marks them published. A crash in between re-sends; consumers dedupe on eventId.
 * Each batch runs in a plain JDBC transaction, not JTA: the confirms complete on the broker's event loop, and a JTA
 * transaction waited on there can end up committing "with 2 threads active" and rolling back under load.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final MutinyEmitter<String> emitter;
    private final IngestConfig config;

    public OutboxRelay(DataSource dataSource,
                       @Channel(Channels.INGEST_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
                       MutinyEmitter<String> emitter,
                       IngestConfig config) {
        this.dataSource = dataSource;
        this.emitter = emitter;
        this.config = config;
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            while (publishBatch() == config.outbox().batchSize()) {
                LOG.debug("outbox: full batch published, continuing");
            }
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay: publishing failed, will retry: %s", e.getMessage());
        }
    }

    /** @return how many events were published */
    public int publishBatch() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<UUID> ids = new ArrayList<>();
                List<Uni<Void>> confirms = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select id, event_type, cast(payload as text), created_at"
                        + " from ingest.outbox where published_at is null order by created_at, id limit ?"
                        + " for update skip locked")) {
                    ps.setInt(1, config.outbox().batchSize());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            UUID id = rs.getObject(1, UUID.class);
                            String type = rs.getString(2);
                            ids.add(id);
                            OutgoingRabbitMQMetadata meta = new OutgoingRabbitMQMetadata.Builder()
                                    .withRoutingKey(type)
                                    .withContentType("application/json")
                                    .withMessageId(id.toString())
                                    .withType(type)
                                    .withDeliveryMode(2)
                                    .withTimestamp(rs.getTimestamp(4).toInstant().atZone(ZoneOffset.UTC))
                                    .build();
                            confirms.add(emitter.sendMessage(Message.of(rs.getString(3), Metadata.of(meta))));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                Uni.join().all(confirms).andFailFast().await().atMost(CONFIRM_TIMEOUT);
                try (PreparedStatement ps = c.prepareStatement(
                        "update ingest.outbox set published_at = now() where id = any(?)")) {
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
