package dev.lookout.simulator;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The knob modelFaults (one model fails or hangs, the others stay healthy) and the per-model / per-key counters. */
class ModelFaultsTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final SimulatorConfig CONFIG = SimulatorConfig.defaults().withPort(0);

    private static SimulatorServer server;
    private static SimClient client;

    @BeforeAll
    static void start() {
        server = SimulatorServer.start(CONFIG);
        client = new SimClient(server.port(), 64);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        server.config(CONFIG);
        server.resetStats();
    }

    @Test
    void theSpecIsParsedAndBadSpecsAreRefused() {
        Map<String, ModelFaults.Rates> rates = ModelFaults.parse(" demo-ckpt-777:0.2:0.02 , demo-base:0:1 ");
        assertEquals(2, rates.size());
        assertEquals(new ModelFaults.Rates(0.2, 0.02), rates.get("demo-ckpt-777"));
        assertEquals(new ModelFaults.Rates(0, 1), rates.get("demo-base"));
        assertEquals(0, ModelFaults.parse("").size());
        for (String bad : List.of("demo-base", "demo-base:0.5", ":0.1:0.1", "demo-base:x:0", "demo-base:0.7:0.4",
                "demo-base:-0.1:0")) {
            assertThrows(IllegalArgumentException.class, () -> ModelFaults.parse(bad), bad);
        }
        SimulatorConfig fromFlag = SimulatorConfig.fromArgs(new String[] {"--model-faults=demo-ckpt-9:1:0"},
                new Properties());
        assertEquals("demo-ckpt-9:1:0", fromFlag.modelFaults());
        assertEquals(400, client.put("/admin/config", "{\"modelFaults\": \"demo-base:2:0\"}").status());
        assertEquals(200, client.put("/admin/config", "{\"modelFaults\": \"demo-base:0.5:0\"}").status());
        assertEquals("demo-base:0.5:0", server.config().modelFaults());
    }

    @Test
    void onlyTheNamedModelFailsAndItsFailuresAreCountedPerModel() {
        server.config(CONFIG.withModelFaults("demo-ckpt-777:0.5:0").withSeed(5));
        List<Integer> failing = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            failing.add(client.post(CHAT, SimClient.chat("demo-ckpt-777", Prompts.SUITE.get(i % Prompts.SUITE.size()))).status());
            assertEquals(200, client.post(CHAT, SimClient.chat("demo-base", "hi " + i)).status());
        }
        long errors = failing.stream().filter(s -> s == 500).count();
        assertTrue(errors > 5 && errors < 35, failing.toString());
        assertEquals(errors + failing.stream().filter(s -> s == 200).count(), failing.size());
        SimulatorStats stats = server.stats();
        assertEquals(errors, stats.errors500());
        assertEquals(errors, stats.byModel().get("demo-ckpt-777").errors500());
        assertEquals(40, stats.byModel().get("demo-ckpt-777").requests());
        assertEquals(0, stats.byModel().get("demo-base").errors500());
        assertEquals(40, stats.byModel().get("demo-base").requests());
    }

    @Test
    void aHangingModelStaysInFlightInItsCountersUntilTheClientGivesUp() {
        server.config(CONFIG.withModelFaults("demo-ckpt-5:0:1"));
        Future<SimClient.Reply> hanging = client.send(HttpMethod.POST, CHAT,
                SimClient.chat("demo-ckpt-5", "hi").toString(), Map.of("Authorization", "Bearer key-a"), 300);
        await().atMost(Duration.ofSeconds(5)).until(hanging::failed);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().inFlight() == 0);
        SimulatorStats stats = server.stats();
        assertEquals(1, stats.hangs());
        assertEquals(new SimulatorStats.GroupStats(1, 0, 1, 0, 1), stats.byModel().get("demo-ckpt-5"));
        assertEquals(new SimulatorStats.GroupStats(1, 0, 1, 0, 1), stats.byApiKey().get("key-a"));
    }

    @Test
    void eachApiKeyHasItsOwnPeakInFlight() {
        server.config(CONFIG.withLatency(200, 0));
        List<Future<SimClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = i < 4 ? "Bearer key-a" : "Bearer key-b";
            replies.add(client.send(HttpMethod.POST, CHAT, SimClient.chat("demo-base", "q" + i).toString(),
                    Map.of("Authorization", key), 5000));
        }
        replies.forEach(r -> assertEquals(200, SimClient.await(r).status()));
        SimulatorStats stats = server.stats();
        assertEquals(6, stats.maxInFlight());
        assertEquals(4, stats.byApiKey().get("key-a").maxInFlight());
        assertEquals(2, stats.byApiKey().get("key-b").maxInFlight());
        assertEquals(0, stats.byApiKey().get("key-a").inFlight());
        assertEquals(6, stats.byModel().get("demo-base").maxInFlight());

        assertEquals(200, client.post("/admin/stats/reset", "").status());
        SimulatorStats afterReset = server.stats();
        assertEquals(0, afterReset.byApiKey().get("key-a").maxInFlight(), "peaks restart from what is in flight");
        assertEquals(0, afterReset.byApiKey().get("key-a").requests());
    }
}
