package dev.lookout.simulator;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** {@code POST /v1/chat/completions}: fault injection, slot queue, latency, then the deterministic reply. */
final class ChatHandler implements Handler<HttpServerRequest> {

    private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");

    private final Vertx vertx;
    private final Simulator simulator;
    private final Replies replies;
    private final String idPrefix = String.format("%016x", ThreadLocalRandom.current().nextLong());
    private long sequence;

    ChatHandler(Vertx vertx, Simulator simulator, Replies replies) {
        this.vertx = vertx;
        this.simulator = simulator;
        this.replies = replies;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Call call = new Call(request, simulator.stats());
        SimulatorConfig config = simulator.config();
        Fault fault;
        try {
            fault = simulator.chaos().fault(request.getHeader(Fault.FORCE_HEADER), config);
        } catch (IllegalArgumentException e) {
            answer(call, response -> Http.badRequest(response, e.getMessage()));
            return;
        }
        switch (fault) {
            case RATE_LIMITED -> {
                simulator.stats().rejected();
                answer(call, response -> Http.error(response.putHeader(RETRY_AFTER,
                        Integer.toString(config.retryAfterSeconds())), 429, "rate_limit_error",
                        "rate_limit_exceeded", "Too many requests, retry later."));
            }
            case SERVER_ERROR -> serverError(call);
            case HANG -> call.hung(); // never answered; in flight until the client gives up
            case NONE -> request.body().onComplete(body -> {
                if (body.succeeded()) {
                    accept(call, body.result(), config);
                } else {
                    call.finish();
                }
            });
        }
    }

    private void serverError(Call call) {
        call.failed();
        answer(call, response -> Http.error(response, 500, "server_error", "internal_error",
                "The model crashed while generating (simulated)."));
    }

    private void accept(Call call, Buffer body, SimulatorConfig config) {
        ChatRequest chat;
        try {
            chat = ChatRequest.parse(body);
        } catch (IllegalArgumentException e) {
            answer(call, response -> Http.badRequest(response, e.getMessage()));
            return;
        }
        Optional<ModelSpec> model = simulator.adapters().spec(chat.model()).or(() -> ModelSpec.parse(chat.model()));
        if (model.isEmpty()) {
            answer(call, response -> Http.error(response, 404, "invalid_request_error", "model_not_found",
                    "The model `" + chat.model() + "` does not exist."));
            return;
        }
        call.model(chat.model());
        Fault modelFault = simulator.chaos().modelFault(chat.model(), config);
        if (modelFault == Fault.SERVER_ERROR) {
            serverError(call);
            return;
        }
        if (modelFault == Fault.HANG) {
            call.hung();
            return;
        }
        simulator.slots().acquire(call, () -> {
            long latency = simulator.chaos().latencyMs(simulator.config());
            if (latency == 0) {
                generate(call, chat, model.get());
            } else {
                vertx.setTimer(latency, timer -> generate(call, chat, model.get()));
            }
        });
    }

    private void generate(Call call, ChatRequest chat, ModelSpec model) {
        answer(call, response -> {
            Completion completion = complete(chat, model);
            if (chat.stream()) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, Http.EVENT_STREAM)
                        .putHeader(HttpHeaders.CACHE_CONTROL, Http.NO_CACHE)
                        .end(completion.sse(chat.includeUsage()));
            } else {
                Http.json(response, 200, completion.json());
            }
        });
    }

    private Completion complete(ChatRequest chat, ModelSpec model) {
        Replies.Reply reply = replies.reply(model, chat.prompt(), chat.echo(), chat.variation());
        String content = chat.maxTokens() == null ? reply.content() : Tokens.truncate(reply.content(), chat.maxTokens());
        String finishReason = content.length() < reply.content().length() ? "length" : "stop";
        int completionTokens = Tokens.count(content) + (reply.reasoning() == null ? 0 : Tokens.count(reply.reasoning()));
        return new Completion("chatcmpl-" + idPrefix + Long.toHexString(++sequence),
                System.currentTimeMillis() / 1000, chat.model(), reply.reasoning(), content, finishReason,
                new OpenAiShapes.Usage(chat.promptTokens(), completionTokens),
                Weights.fingerprint(chat.model(), simulator.config()));
    }

    /** Writes the answer unless the client is gone (e.g. timed out while queued), then takes the call out of flight. */
    private void answer(Call call, Handler<HttpServerResponse> writer) {
        if (!call.isDone()) {
            try {
                writer.handle(call.request().response());
            } catch (RuntimeException e) {
                call.failed();
                Http.error(call.request().response(), 500, "server_error", "internal_error", "internal error");
            }
            call.finish();
        }
    }
}
