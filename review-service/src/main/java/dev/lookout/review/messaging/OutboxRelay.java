package dev.lookout.review.messaging;

import dev.lookout.review.entity.OutboxEvent;
import dev.lookout.review.repository.OutboxRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes outbox rows to review.events with publisher confirms, then marks them published.
 * Rows are locked FOR UPDATE SKIP LOCKED, so several instances never send the same row at once;
 * a crash between confirm and commit re-sends (consumers dedupe on eventId).
 */
@ApplicationScoped
public class OutboxRelay {

    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final MutinyEmitter<JsonObject> emitter;

    public OutboxRelay(OutboxRepository outbox,
                       @Channel(Channels.REVIEW_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                       MutinyEmitter<JsonObject> emitter) {
        this.outbox = outbox;
        this.emitter = emitter;
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        try {
            int sent;
            do {
                sent = QuarkusTransaction.requiringNew().call(this::publishBatch);
            } while (sent == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay: publishing failed, will retry (%s)", e.getMessage());
        }
    }

    /** Sends one batch and waits for every confirm; returns how many rows were published. */
    int publishBatch() {
        List<OutboxEvent> rows = outbox.lockUnpublished(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        List<Uni<Void>> confirms = new ArrayList<>(rows.size());
        for (OutboxEvent row : rows) {
            OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                    .withRoutingKey(row.eventType)
                    .withContentType("application/json")
                    .withMessageId(row.id.toString())
                    .withDeliveryMode(2)
                    .build();
            confirms.add(emitter.sendMessage(Message.of(new JsonObject(row.payload)).addMetadata(metadata)));
        }
        Uni.join().all(confirms).andFailFast().await().atMost(Duration.ofSeconds(15));
        Instant now = Instant.now();
        rows.forEach(row -> row.publishedAt = now);
        return rows.size();
    }
}
