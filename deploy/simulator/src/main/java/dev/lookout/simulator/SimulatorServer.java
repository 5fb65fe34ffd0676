package dev.lookout.simulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The simulator as an in-process server, e.g. for other modules' tests:
 * <pre>{@code
 * try (SimulatorServer sim = SimulatorServer.start(SimulatorConfig.defaults().withPort(0))) {
 *     String baseUrl = sim.baseUrl(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 * Everything runs on one event loop. {@code start} and {@code close} block, so call them from a plain thread
 * (a test method), never from an event loop.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpServer http;
    private final Simulator simulator;

    private SimulatorServer(Vertx vertx, boolean ownsVertx, HttpServer http, Simulator simulator) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.http = http;
        this.simulator = simulator;
    }

    /** Starts on a Vert.x instance of its own (closed by {@link #close()}); returns once listening. */
    public static SimulatorServer start(SimulatorConfig config) {
        Vertx vertx = Vertx.vertx();
        try {
            return start(vertx, config, true);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Starts on the caller's Vert.x instance (left open by {@link #close()}); returns once listening. */
    public static SimulatorServer start(Vertx vertx, SimulatorConfig config) {
        return start(vertx, config, false);
    }

    private static SimulatorServer start(Vertx vertx, SimulatorConfig config, boolean ownsVertx) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("SimulatorServer.start blocks: call it outside the event loop");
        }
        Context context = vertx.getOrCreateContext();
        Simulator simulator = new Simulator(config, context, new Stats());
        Routes routes = new Routes(simulator, new ChatHandler(vertx, simulator, new Replies()));
        Promise<HttpServer> listening = Promise.promise();
        context.runOnContext(ignored -> vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(routes)
                .listen(config.port(), config.host())
                .onComplete(listening));
        HttpServer http = await(listening.future());
        simulator.boundTo(http.actualPort());
        return new SimulatorServer(vertx, ownsVertx, http, simulator);
    }

    public int port() {
        return http.actualPort();
    }

    /** {@code http://<host>:<port>}, the base URL without {@code /v1}. */
    public String baseUrl() {
        return "http://" + simulator.config().host() + ":" + port();
    }

    public SimulatorStats stats() {
        return simulator.stats().snapshot();
    }

    public void resetStats() {
        simulator.stats().reset();
    }

    /** The LoRA adapter loads and unloads seen so far (operation, name, path, status answered), in order. */
    public List<LoraAdapterEvent> adapterEvents() {
        return simulator.adapters().events().stream()
                .map(e -> new LoraAdapterEvent(e.op(), e.name(), e.path(), e.status())).toList();
    }

    /** One {@code load}/{@code unload} of a LoRA adapter and the HTTP status it was answered with. */
    public record LoraAdapterEvent(String op, String name, String path, int status) {
    }

    public SimulatorConfig config() {
        return simulator.config();
    }

    /** Changes the knobs at runtime (port and host keep their start values) and restarts the RNG from the seed. */
    public void config(SimulatorConfig config) {
        simulator.apply(config);
    }

    /** Stops listening and drops open connections (hanging requests included). */
    @Override
    public void close() {
        await(http.close());
        if (ownsVertx) {
            await(vertx.close()); // awaited on its own: a callback chained to it would need the loop it stops
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulator: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("simulator: no answer from Vert.x within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
