package dev.lookout.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stand-in for probe-runner (another service) answering its name lookups {@code GET /api/suites?project=&name=} and
 * {@code GET /api/endpoints?project=&name=}: every name exists except those starting with {@link #MISSING}; a name
 * starting with {@link #FAILING} gets HTTP 500; a request without a bearer token gets 401 (so a 201 from ingest proves
 * it forwarded the caller's token). Endpoints whose name starts with {@link #LOADS_ADAPTERS} have adapterLoading
 * vllm, the others none; {@code GET /api/endpoints/{id}} answers an endpoint named {@link #BY_ID} (adapterLoading
 * vllm) for any id except {@link #UNKNOWN_ID} (404). Applies to every @QuarkusTest of the module.
 */
public class FakeProbeRunner implements QuarkusTestResourceLifecycleManager {

    public static final String MISSING = "no-such-";
    public static final String FAILING = "fake-down-";
    public static final String LOADS_ADAPTERS = "lora-";
    public static final String BY_ID = "lora-by-id";
    public static final String UNKNOWN_ID = "00000000-0000-0000-0000-000000000404";

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("fake probe-runner could not listen", e);
        }
        server.createContext("/api/suites", FakeProbeRunner::lookup);
        server.createContext("/api/endpoints", FakeProbeRunner::lookup);
        server.start();
        return Map.of("quarkus.rest-client.probe-runner.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void lookup(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
            String name = q.get("name");
            String path = exchange.getRequestURI().getPath();
            if (auth != null && path.startsWith("/api/endpoints/")) {
                String id = path.substring("/api/endpoints/".length());
                if (UNKNOWN_ID.equals(id)) {
                    reply(exchange, 404, Map.of("title", "Not found"));
                } else {
                    reply(exchange, 200, Map.of("id", id, "project", "demo", "name", BY_ID, "adapterLoading", "vllm"));
                }
            } else if (auth == null || !auth.startsWith("Bearer ") || auth.length() < 20) {
                reply(exchange, 401, Map.of("title", "Unauthorized"));
            } else if (name != null && name.startsWith(FAILING)) {
                reply(exchange, 500, Map.of("title", "Internal error"));
            } else if (name == null || name.startsWith(MISSING)) {
                reply(exchange, 200, List.of());
            } else {
                reply(exchange, 200, List.of(Map.of("id", UUID.randomUUID().toString(),
                        "project", q.getOrDefault("project", "demo"), "name", name,
                        "adapterLoading", name.startsWith(LOADS_ADAPTERS) ? "vllm" : "none")));
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
