package dev.lookout.ingest;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;

/**
 * What ingest-service publishes, seen on the real broker: a temporary queue bound to the test exchange with one
 * binding key, and every delivery kept. Close it after the test.
 */
public final class IngestEventTap implements AutoCloseable {

    public static final String EXCHANGE = "test.ingest.events";

    /** One delivery: routing key, content type, message id and the JSON body. */
    public record Received(String routingKey, String contentType, String messageId, JsonPath body) {
    }

    private final Connection connection;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    private IngestEventTap(String name, String bindingKey) throws IOException, TimeoutException {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        connection = f.newConnection(name);
        Channel channel = connection.createChannel();
        channel.exchangeDeclare(EXCHANGE, "topic", true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, EXCHANGE, bindingKey);
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                received.add(new Received(env.getRoutingKey(), props.getContentType(), props.getMessageId(),
                        JsonPath.from(new String(body, StandardCharsets.UTF_8))));
            }
        });
    }

    /** A tap on the events whose routing key matches {@code bindingKey} ("#" for all). */
    public static IngestEventTap open(String connectionName, String bindingKey) throws IOException, TimeoutException {
        return new IngestEventTap(connectionName, bindingKey);
    }

    /** The first event of {@code type} whose body has {@code field} = {@code value}, waited for up to 20 s. */
    public Received await(String type, String field, String value) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.stream()
                .filter(r -> r.routingKey().equals(type) && value.equals(r.body().getString(field)))
                .findFirst().orElse(null), r -> r != null);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
