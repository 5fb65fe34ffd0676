package dev.lookout.simulator;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writing JSON and OpenAI-style error answers. */
final class Http {

    static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

    private Http() {
    }

    static void json(HttpServerResponse response, int status, Object body) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(Json.encode(body));
    }

    /** {@code {"error": {"message", "type", "param": null, "code"}}} as OpenAI answers errors. */
    static void error(HttpServerResponse response, int status, String type, String code, String message) {
        json(response, status, new OpenAiShapes.ErrorBody(new OpenAiShapes.ErrorDetail(message, type, code)));
    }

    static void badRequest(HttpServerResponse response, String message) {
        error(response, 400, "invalid_request_error", "invalid_request", message);
    }
}
