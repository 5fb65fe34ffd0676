package dev.lookout.proberunner;

import java.util.Map;

import dev.lookout.simulator.SimulatorConfig;
import dev.lookout.simulator.SimulatorServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

/** Starts the in-process OpenAI-compatible simulator on a random port; its URL is {@code test-simulator.url}. */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String URL_PROPERTY = "test-simulator.url";

    private Vertx vertx;
    private SimulatorServer server;

    @Override
    public Map<String, String> start() {
        // a Vert.x of our own, like a separate model server; we close it ourselves (without waiting)
        vertx = Vertx.vertx();
        server = SimulatorServer.start(vertx, SimulatorConfig.defaults().withPort(0));
        return Map.of(URL_PROPERTY, server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }
}
