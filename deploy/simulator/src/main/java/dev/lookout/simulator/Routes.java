package dev.lookout.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Dispatches requests: the OpenAI-compatible API plus the admin endpoints for tests and benchmarks. */
final class Routes implements Handler<HttpServerRequest> {

    private final Simulator simulator;
    private final ChatHandler chat;
    private final long startedAt = System.currentTimeMillis() / 1000;

    Routes(Simulator simulator, ChatHandler chat) {
        this.simulator = simulator;
        this.chat = chat;
    }

    @Override
    public void handle(HttpServerRequest request) {
        HttpMethod method = request.method();
        switch (request.path()) {
            case "/v1/chat/completions" -> on(request, HttpMethod.POST, chat);
            case "/v1/models" -> on(request, HttpMethod.GET, this::models);
            case "/v1/load_lora_adapter" -> on(request, HttpMethod.POST, simulator.adapters()::load);
            case "/v1/unload_lora_adapter" -> on(request, HttpMethod.POST, simulator.adapters()::unload);
            case "/admin/adapters" -> on(request, HttpMethod.GET, r -> Http.json(r.response(), 200,
                    Map.of("loaded", simulator.adapters().cards(), "events", simulator.adapters().events())));
            case "/admin/stats" -> on(request, HttpMethod.GET, r -> Http.json(r.response(), 200, simulator.stats().snapshot()));
            case "/admin/stats/reset" -> on(request, HttpMethod.POST, this::resetStats);
            case "/admin/config" -> {
                if (method == HttpMethod.PUT) {
                    request.body().onSuccess(body -> updateConfig(request, body));
                } else {
                    on(request, HttpMethod.GET, r -> Http.json(r.response(), 200, simulator.config()));
                }
            }
            default -> Http.error(request.response(), 404, "invalid_request_error", "not_found",
                    "No route for " + method + " " + request.path());
        }
    }

    private static void on(HttpServerRequest request, HttpMethod method, Handler<HttpServerRequest> handler) {
        if (request.method() == method) {
            handler.handle(request);
        } else {
            Http.error(request.response(), 405, "invalid_request_error", "method_not_allowed",
                    "Use " + method + " for " + request.path());
        }
    }

    private void models(HttpServerRequest request) {
        List<OpenAiShapes.ModelCard> cards = new ArrayList<>(ModelSpec.LISTED.stream()
                .map(id -> new OpenAiShapes.ModelCard(id, startedAt, Weights.root(id, simulator.config()))).toList());
        cards.addAll(simulator.adapters().cards());
        Http.json(request.response(), 200, new OpenAiShapes.ModelList(cards));
    }

    /** Applies a partial JSON object of knobs (unknown knobs or invalid values: 400, nothing changes). */
    private void updateConfig(HttpServerRequest request, Buffer body) {
        try {
            JsonNode changes = Json.parse(body);
            if (!changes.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object of knobs");
            }
            Http.json(request.response(), 200, simulator.apply(simulator.config().merge((ObjectNode) changes)));
        } catch (IllegalArgumentException e) {
            Http.badRequest(request.response(), e.getMessage());
        }
    }

    private void resetStats(HttpServerRequest request) {
        simulator.stats().reset();
        Http.json(request.response(), 200, simulator.stats().snapshot());
    }
}
