package dev.lookout.simulator;

import io.vertx.core.http.HttpServerRequest;

/**
 * One chat completion request from arrival until it is answered or its client goes away; counts itself in flight
 * for exactly that long and then runs its release action (giving back its slot).
 */
final class Call {

    private final HttpServerRequest request;
    private final Stats stats;
    private Runnable release = () -> { };
    private boolean done;

    Call(HttpServerRequest request, Stats stats) {
        this.request = request;
        this.stats = stats;
        stats.arrived();
        request.response().closeHandler(closed -> finish());
    }

    HttpServerRequest request() {
        return request;
    }

    boolean isDone() {
        return done;
    }

    void onFinish(Runnable action) {
        release = action;
    }

    /** Marks the call answered (or abandoned by its client); idempotent. */
    void finish() {
        if (!done) {
            done = true;
            stats.left();
            release.run();
        }
    }
}
