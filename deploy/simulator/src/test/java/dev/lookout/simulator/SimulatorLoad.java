package dev.lookout.simulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A load check, not a test: fires N chat completions at concurrency C and prints requests/s.
 * {@code SimulatorLoad [requests=20000] [concurrency=64] [baseUrl]} — without a base URL it starts an in-process
 * simulator (its own Vert.x, one event loop) next to the client (another Vert.x).
 */
public final class SimulatorLoad {

    private SimulatorLoad() {
    }

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        SimulatorServer server = args.length > 2 ? null : SimulatorServer.start(SimulatorConfig.defaults().withPort(0));
        int port = server == null ? URI.create(args[2]).getPort() : server.port();
        try (SimClient client = new SimClient(port, concurrency)) {
            run(client, requests / 10, concurrency); // warm-up
            long started = System.nanoTime();
            int failures = run(client, requests, concurrency);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "%d requests, concurrency %d: %.0f req/s (%.2f s, %d non-200)%n",
                    requests, concurrency, requests / seconds, seconds, failures);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** C lanes, each sending its next request when the previous one is answered; returns the non-200 count. */
    private static int run(SimClient client, int requests, int concurrency) {
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<String> bodies = Prompts.SUITE.stream().map(p -> SimClient.chat("demo-ckpt-400", p).toString()).toList();
        List<Future<Void>> lanes = IntStream.range(0, concurrency)
                .mapToObj(lane -> lane(client, bodies, requests, issued, failures)).toList();
        lanes.forEach(SimClient::await);
        return failures.get();
    }

    private static Future<Void> lane(SimClient client, List<String> bodies, int requests, AtomicInteger issued,
                                     AtomicInteger failures) {
        Promise<Void> done = Promise.promise();
        next(client, bodies, requests, issued, failures, done);
        return done.future();
    }

    private static void next(SimClient client, List<String> bodies, int requests, AtomicInteger issued,
                             AtomicInteger failures, Promise<Void> done) {
        int n = issued.getAndIncrement();
        if (n >= requests) {
            done.complete();
            return;
        }
        client.send(HttpMethod.POST, "/v1/chat/completions", bodies.get(n % bodies.size()), Map.of(), 30_000)
                .onComplete(reply -> {
                    if (reply.failed() || reply.result().status() != 200) {
                        failures.incrementAndGet();
                    }
                    next(client, bodies, requests, issued, failures, done);
                });
    }
}
