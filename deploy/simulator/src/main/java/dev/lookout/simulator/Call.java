package dev.lookout.simulator;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * One chat completion request from arrival until it is answered or its client goes away; counts itself in flight
 * for exactly that long (in the totals, its API key's counters from arrival and its model's once the body is read)
 * and then runs its release action (giving back its slot).
 */
final class Call {

    private static final String BEARER = "Bearer ";

    private final HttpServerRequest request;
    private final Stats stats;
    private final List<Stats.Group> groups = new ArrayList<>(2);
    private Runnable release = () -> { };
    private boolean done;

    Call(HttpServerRequest request, Stats stats) {
        this.request = request;
        this.stats = stats;
        stats.arrived();
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.startsWith(BEARER)) {
            join(stats.apiKey(authorization.substring(BEARER.length()).strip()));
        }
        request.response().closeHandler(closed -> finish());
    }

    HttpServerRequest request() {
        return request;
    }

    boolean isDone() {
        return done;
    }

    /** Counts the call in {@code model}'s counters from now on (once its body named the model). */
    void model(String model) {
        if (!done) {
            join(stats.model(model));
        }
    }

    private void join(Stats.Group group) {
        group.arrived();
        groups.add(group);
    }

    /** Counts an injected 500 in the totals and the call's groups. */
    void failed() {
        stats.failed();
        groups.forEach(Stats.Group::failed);
    }

    /** Counts an injected hang in the totals and the call's groups. */
    void hung() {
        stats.hung();
        groups.forEach(Stats.Group::hung);
    }

    void onFinish(Runnable action) {
        release = action;
    }

    /** Marks the call answered (or abandoned by its client); idempotent. */
    void finish() {
        if (!done) {
            done = true;
            stats.left();
            groups.forEach(Stats.Group::left);
            release.run();
        }
    }
}
