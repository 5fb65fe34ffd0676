package dev.lookout.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * One WireMock server standing in for the three backends: ingest under /ingest, probe-runner under
 * /probe-runner, review-service under /review (the gateway supports base paths in upstream URLs).
 */
public class UpstreamsWireMock implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        return Map.of(
                "lookout.upstream.ingest", base + "/ingest",
                "lookout.upstream.probe-runner", base + "/probe-runner",
                "lookout.upstream.review", base + "/review");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
