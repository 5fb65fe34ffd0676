package dev.lookout.ingest.messaging;

import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.entity.OutboxEvent;
import dev.lookout.ingest.repository.OutboxRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishes outbox rows every second (the Quarkus scheduler's finest interval; 0.5s would run at 1s anyway): locks a batch of unpublished rows (FOR UPDATE SKIP LOCKED), sends them with
 * publisher confirms (routing key = event type, message id = eventId), waits for the confirms and only
 * then marks them published. A crash in between re-sends; consumers dedupe on eventId.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final OutboxRepository outbox;
    private final MutinyEmitter<String> emitter;
    private final IngestConfig config;

    public OutboxRelay(OutboxRepository outbox,
                       @Channel(Channels.INGEST_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
                       MutinyEmitter<String> emitter,
                       IngestConfig config) {
        this.outbox = outbox;
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
    @Transactional
    public int publishBatch() {
        List<OutboxEvent> batch = outbox.lockUnpublished(config.outbox().batchSize());
        if (batch.isEmpty()) {
            return 0;
        }
        List<Uni<Void>> confirms = new ArrayList<>(batch.size());
        for (OutboxEvent e : batch) {
            OutgoingRabbitMQMetadata meta = new OutgoingRabbitMQMetadata.Builder()
                    .withRoutingKey(e.eventType)
                    .withContentType("application/json")
                    .withMessageId(e.id.toString())
                    .withType(e.eventType)
                    .withDeliveryMode(2)
                    .withTimestamp(e.createdAt.atZone(ZoneOffset.UTC))
                    .build();
            confirms.add(emitter.sendMessage(Message.of(e.payload, Metadata.of(meta))));
        }
        Uni.join().all(confirms).andFailFast().await().atMost(CONFIRM_TIMEOUT);
        List<UUID> ids = batch.stream().map(e -> e.id).toList();
        outbox.markPublished(ids, Instant.now());
        return batch.size();
    }
}
