package dev.lookout.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A small Vert.x HTTP client for the tests: async {@link #send}, blocking helpers on top. */
final class SimClient implements AutoCloseable {

    record Reply(int status, MultiMap headers, String body) {
        JsonNode json() {
            return Json.parse(io.vertx.core.buffer.Buffer.buffer(body));
        }

        /** The assistant's content of a successful completion. */
        String content() {
            if (status != 200 || !json().has("choices")) {
                throw new AssertionError("expected a completion, got " + status + " " + body);
            }
            return json().path("choices").path(0).path("message").path("content").asText();
        }
    }

    private final Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    private final Context context = vertx.getOrCreateContext();
    private final HttpClient client;
    private final int port;

    SimClient(int port, int poolSize) {
        this.port = port;
        this.client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(poolSize));
    }

    static ObjectNode chat(String model, String prompt) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return body;
    }

    Future<Reply> send(HttpMethod method, String path, String body, Map<String, String> headers, long timeoutMs) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
                .setURI(path).setIdleTimeout(timeoutMs);
        headers.forEach(options::putHeader);
        // run the chain on the client's event loop: composed outside a context, a body can arrive unobserved
        Promise<Reply> reply = Promise.promise();
        context.runOnContext(ignored -> client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body()
                        .map(buffer -> new Reply(response.statusCode(), response.headers(), buffer.toString())))
                .onComplete(reply));
        return reply.future();
    }

    Reply post(String path, Object body, Map<String, String> headers) {
        return await(send(HttpMethod.POST, path, body.toString(), headers, 10_000));
    }

    Reply post(String path, Object body) {
        return post(path, body, Map.of());
    }

    Reply put(String path, Object body) {
        return await(send(HttpMethod.PUT, path, body.toString(), Map.of(), 10_000));
    }

    Reply get(String path) {
        return await(send(HttpMethod.GET, path, null, Map.of(), 10_000));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
