package dev.lookout.proberunner.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Delay queues for retries: one durable queue per delay level, {@code <calls queue>.retry.<level>}, bound to the work
 * exchange with routing key {@code retry.<level>}, with {@code x-message-ttl} = the level and dead-lettering back to
 * the work exchange with routing key {@code call} (so the message lands on the calls queue again). Nothing consumes
 * them. Levels: backoff base × 2^k below the backoff max, the max itself, and 5 minutes for long Retry-After.
 *
 * <p>A retry goes to the smallest level ≥ its delay with a per-message expiration = the delay (the jitter). A message
 * expires only at the head of its queue, so a retry waits at least its delay and at most its level (never sooner than
 * Retry-After; a Retry-After longer than the top level is capped at it).
 */
@ApplicationScoped
public class RetryQueues {

    private static final Logger LOG = Logger.getLogger(RetryQueues.class);
    static final long LONG_RETRY_AFTER_MS = 300_000;

    private final List<Long> levels;
    private final String workExchange;
    private final String callsQueue;
    private final ConnectionFactory factory = new ConnectionFactory();

    public RetryQueues(ProbeRunnerConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.calls.exchange.name") String workExchange,
            @ConfigProperty(name = "mp.messaging.incoming.calls.queue.name") String callsQueue,
            @ConfigProperty(name = "rabbitmq-host") String host, @ConfigProperty(name = "rabbitmq-port") int port,
            @ConfigProperty(name = "rabbitmq-username") String username,
            @ConfigProperty(name = "rabbitmq-password") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost) {
        this.levels = levels(config.calls().backoffBaseMs(), config.calls().backoffMaxMs());
        this.workExchange = workExchange;
        this.callsQueue = callsQueue;
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        // the same vhost as the work exchange: declared elsewhere, retries would be unroutable and lost
        factory.setVirtualHost(virtualHost);
    }

    static List<Long> levels(long baseMs, long maxMs) {
        List<Long> levels = new ArrayList<>();
        for (long l = Math.max(1, baseMs); l < maxMs; l *= 2) {
            levels.add(l);
        }
        levels.add(maxMs);
        if (maxMs < LONG_RETRY_AFTER_MS) {
            levels.add(LONG_RETRY_AFTER_MS);
        }
        return List.copyOf(levels);
    }

    /** Index of the smallest level ≥ delay (the top level when none is). */
    static int levelFor(List<Long> levels, long delayMs) {
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i) >= delayMs) {
                return i;
            }
        }
        return levels.size() - 1;
    }

    /** Routing key and per-message expiration of a retry after {@code delayMs}. */
    public Delay delay(long delayMs) {
        int level = levelFor(levels, delayMs);
        return new Delay("retry." + level, Math.max(0, Math.min(delayMs, levels.get(level))));
    }

    public record Delay(String routingKey, long expirationMs) {
    }

    public List<Long> levels() {
        return levels;
    }

    void declare(@Observes StartupEvent ev) throws Exception {
        try (Connection c = factory.newConnection("probe-runner-retry-queues"); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(workExchange, "topic", true);
            for (int i = 0; i < levels.size(); i++) {
                String queue = callsQueue + ".retry." + i;
                ch.queueDeclare(queue, true, false, false, Map.of("x-message-ttl", levels.get(i),
                        "x-dead-letter-exchange", workExchange, "x-dead-letter-routing-key", Channels.CALL_ROUTING_KEY));
                ch.queueBind(queue, workExchange, "retry." + i);
            }
        }
        LOG.infof("retry delay queues %s.retry.0..%d declared, levels %s ms", callsQueue, levels.size() - 1, levels);
    }
}
