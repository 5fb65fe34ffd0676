package dev.lookout.proberunner.messaging;

import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import io.vertx.rabbitmq.RabbitMQPublisher;
import io.vertx.rabbitmq.RabbitMQPublisherOptions;

/**
 * Publishes call messages (new calls from the outbox, retries to the delay queues) to the work exchange with
 * publisher confirms, through a Vert.x {@link RabbitMQPublisher} on a connection of its own — not through the
 * SmallRye outgoing channel, whose sender reads its channel configuration (retry-on-fail attempts and interval,
 * default routing key) from SmallRye Config for every message: the largest single cost per call in the profile of
 * the bench (12–17 % of Lookout's CPU samples). The returned Uni completes when the broker confirms; a nack or a
 * lost connection fails it (the outbox row stays unpublished, a retry's original message is requeued).
 *
 * <p>Thread-safe: the publisher hands every send to its own Vert.x context. Connects at start-up and again on the
 * next publish after a failed connect; the client reconnects by itself after a lost connection, as often and as
 * long as the SmallRye channels ({@code rabbitmq-reconnect-attempts}, {@code rabbitmq-reconnect-interval}).
 * Not part of the readiness check (the SmallRye channels' connection is).
 */
@ApplicationScoped
public class WorkPublisher {

    private static final Logger LOG = Logger.getLogger(WorkPublisher.class);

    private final Vertx vertx;
    private final String exchange;
    private final RabbitMQOptions options;
    private final int reconnectAttempts;
    private final long reconnectIntervalMs;
    private final AtomicReference<Future<Connected>> connection = new AtomicReference<>();

    private record Connected(RabbitMQClient client, RabbitMQPublisher publisher) {
    }

    public WorkPublisher(Vertx vertx,
            @ConfigProperty(name = "mp.messaging.incoming.calls.exchange.name") String exchange,
            @ConfigProperty(name = "rabbitmq-host") String host, @ConfigProperty(name = "rabbitmq-port") int port,
            @ConfigProperty(name = "rabbitmq-username") String username,
            @ConfigProperty(name = "rabbitmq-password") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "rabbitmq-reconnect-attempts") int reconnectAttempts,
            @ConfigProperty(name = "rabbitmq-reconnect-interval") int reconnectIntervalSeconds) {
        this.vertx = vertx;
        this.exchange = exchange;
        this.reconnectAttempts = reconnectAttempts;
        this.reconnectIntervalMs = reconnectIntervalSeconds * 1000L;
        // the same reconnect settings as the SmallRye channels (rabbitmq-reconnect-*): without limit, every second
        this.options = new RabbitMQOptions().setHost(host).setPort(port).setUser(username).setPassword(password)
                .setVirtualHost(virtualHost).setConnectionName("probe-runner-work-publisher")
                .setReconnectAttempts(reconnectAttempts)
                .setReconnectInterval(reconnectIntervalMs).setAutomaticRecoveryEnabled(false);
    }

    /** The work exchange the calls queue and the delay queues are bound to. */
    public String exchange() {
        return exchange;
    }

    /**
     * Publishes {@code payload} with {@code routingKey}; {@code expirationMs} (delay queues) may be null. Completes
     * on the broker's confirm.
     */
    public Uni<Void> publish(String routingKey, String messageId, JsonObject payload, Long expirationMs) {
        AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .deliveryMode(2).messageId(messageId).timestamp(new Date());
        if (expirationMs != null) {
            props.expiration(Long.toString(expirationMs));
        }
        AMQP.BasicProperties properties = props.build();
        return Uni.createFrom().completionStage(() -> connected()
                .compose(c -> c.publisher().publishConfirm(exchange, routingKey, properties, payload.toBuffer()))
                .<Void>mapEmpty().toCompletionStage());
    }

    /** The live connection, or a new one when there is none or the last connect failed (never blocks). */
    private synchronized Future<Connected> connected() {
        Future<Connected> current = connection.get();
        if (current == null || current.failed()) {
            current = connect();
            connection.set(current);
        }
        return current;
    }

    private Future<Connected> connect() {
        RabbitMQClient client = RabbitMQClient.create(vertx, options);
        return client.start().compose(v -> {
            RabbitMQPublisher publisher = RabbitMQPublisher.create(vertx, client,
                    new RabbitMQPublisherOptions().setReconnectAttempts(reconnectAttempts)
                            .setReconnectInterval(reconnectIntervalMs)
                            .setMaxInternalQueueSize(Integer.MAX_VALUE));
            return publisher.start().map(x -> new Connected(client, publisher));
        }).onFailure(e -> {
            LOG.warnf("work publisher: cannot connect to RabbitMQ (will retry on the next publish): %s",
                    e.getMessage());
            client.stop();
        });
    }

    /** Connects at start-up (without waiting), so the first probe run does not pay for the connection. */
    void start(@Observes StartupEvent ev) {
        connected();
    }

    void stop(@Observes ShutdownEvent ev) {
        Future<Connected> current = connection.getAndSet(null);
        if (current != null) {
            current.onSuccess(c -> c.publisher().stop().onComplete(x -> c.client().stop()));
        }
    }
}
