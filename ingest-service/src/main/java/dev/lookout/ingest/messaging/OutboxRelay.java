package dev.lookout.ingest.messaging;

import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.platform.outbox.JdbcOutboxStore;
import dev.lookout.platform.outbox.OutboxMessage;
import dev.lookout.platform.outbox.OutboxRelayLoop;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionStage;

/**
 * Publishes the outbox (ingest.outbox) to ingest.events every second (the Quarkus scheduler's finest interval) with
 * the shared relay loop ({@link OutboxRelayLoop}: claim SKIP LOCKED, publish with confirms, then mark); this class
 * only adapts the {@code ingest-events} channel to it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<String> emitter;
    private final OutboxRelayLoop loop;

    public OutboxRelay(DataSource dataSource,
                       @Channel(Channels.INGEST_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
                       MutinyEmitter<String> emitter,
                       IngestConfig config) {
        this.emitter = emitter;
        this.loop = new OutboxRelayLoop(JdbcOutboxStore.of(dataSource, "ingest.outbox"), this::publish,
                OutboxRelayLoop.Options.of(config.outbox().batchSize(), CONFIRM_TIMEOUT));
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        loop.drain();
    }

    /** Routing key = event type, message id = eventId, persistent; completes on the broker's confirm. */
    private CompletionStage<Void> publish(OutboxMessage m) {
        OutgoingRabbitMQMetadata meta = new OutgoingRabbitMQMetadata.Builder()
                .withRoutingKey(m.type())
                .withContentType("application/json")
                .withMessageId(m.id().toString())
                .withType(m.type())
                .withDeliveryMode(2)
                .withTimestamp(m.createdAt().atZone(ZoneOffset.UTC))
                .build();
        return emitter.sendMessage(Message.of(m.payload(), Metadata.of(meta))).subscribeAsCompletionStage();
    }
}
