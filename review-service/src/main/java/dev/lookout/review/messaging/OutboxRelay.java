package dev.lookout.review.messaging;

import dev.lookout.platform.outbox.JdbcOutboxStore;
import dev.lookout.platform.outbox.OutboxMessage;
import dev.lookout.platform.outbox.OutboxRelayLoop;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionStage;

/**
 * Publishes the outbox (reviews.outbox) to review.events every second with the shared relay loop
 * ({@link OutboxRelayLoop}: claim SKIP LOCKED, publish with confirms, then mark); this class only adapts the
 * {@code review-events} channel to it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final int BATCH = 500;

    private final MutinyEmitter<JsonObject> emitter;
    private final OutboxRelayLoop loop;

    public OutboxRelay(DataSource dataSource,
                       @Channel(Channels.REVIEW_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                       MutinyEmitter<JsonObject> emitter) {
        this.emitter = emitter;
        this.loop = new OutboxRelayLoop(JdbcOutboxStore.of(dataSource, "reviews.outbox"), this::publish,
                OutboxRelayLoop.Options.of(BATCH, Duration.ofSeconds(15)));
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        loop.drain();
    }

    /** Routing key = event type, message id = eventId, persistent; completes on the broker's confirm. */
    private CompletionStage<Void> publish(OutboxMessage m) {
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(m.type())
                .withContentType("application/json")
                .withMessageId(m.id().toString())
                .withDeliveryMode(2)
                .withTimestamp(m.createdAt().atZone(ZoneOffset.UTC))
                .build();
        return emitter.sendMessage(Message.of(new JsonObject(m.payload())).addMetadata(metadata))
                .subscribeAsCompletionStage();
    }
}
