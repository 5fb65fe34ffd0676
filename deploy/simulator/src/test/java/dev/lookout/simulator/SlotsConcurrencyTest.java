package dev.lookout.simulator;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotsConcurrencyTest {

    private static final int REQUESTS = 50;
    private static final int SLOTS = 10;
    private static final long LATENCY_MS = 500;

    @Test
    void requestsBeyondMaxConcurrentQueueInsteadOfFailing() {
        SimulatorConfig unlimited = SimulatorConfig.defaults().withPort(0);
        try (SimulatorServer server = SimulatorServer.start(unlimited);
             SimClient client = new SimClient(server.port(), REQUESTS)) {
            fireAll(client).forEach(SimClient::await); // opens the 50 pooled connections: arrivals are then instant
            server.config(unlimited.withMaxConcurrent(SLOTS).withLatency(LATENCY_MS, 0));
            server.resetStats();

            long started = System.nanoTime();
            fireAll(client).forEach(reply -> assertEquals(200, SimClient.await(reply).status()));
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;

            // the server takes a call out of flight right after writing its answer: the client may be faster
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().inFlight() == 0);
            SimulatorStats stats = server.stats();
            assertEquals(REQUESTS, stats.requests());
            assertEquals(REQUESTS, stats.maxInFlight(), "all 50 arrived before the first wave was answered");
            assertEquals(SLOTS, stats.maxActive(), "never more than maxConcurrent processed at once");
            assertEquals(0, stats.rejected429());
            long waves = REQUESTS / SLOTS;
            assertTrue(elapsedMs >= waves * LATENCY_MS, "queued in " + waves + " waves, took " + elapsedMs + " ms");
        }
    }

    private static List<Future<SimClient.Reply>> fireAll(SimClient client) {
        return IntStream.range(0, REQUESTS)
                .mapToObj(i -> client.send(HttpMethod.POST, "/v1/chat/completions",
                        SimClient.chat("demo-ckpt-400", "question " + i).toString(), Map.of(), 30_000))
                .toList();
    }
}
