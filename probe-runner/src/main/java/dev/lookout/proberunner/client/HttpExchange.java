package dev.lookout.proberunner.client;

import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP request/response with a byte cap and a hard deadline. Whatever ends it early — the deadline, or an answer
 * longer than the cap — closes the connection first and reports afterwards (after a short grace for the server to see
 * the close), so a caller that frees a concurrency slot on the report never has more sockets open than slots. The
 * request's idle timeout alone would not do: a server
 * dripping one byte a second is never idle.
 */
final class HttpExchange {

    /** Status, content type, Retry-After and the body read (empty when cut off at the cap). */
    record Reply(int status, String contentType, String retryAfter, Buffer body, boolean truncated) {
    }

    /** The deadline passed before the answer was complete (no stack trace: an expected outcome). */
    static final class DeadlineException extends RuntimeException {
        DeadlineException() {
            super("deadline", null, false, false);
        }
    }

    /**
     * How long an abandoned call keeps its slot after its connection is closed: time for the server to see the
     * close (a model server notices a disconnected client only between steps) before another call takes the slot.
     */
    static final long ABORT_GRACE_MS = 200;

    private final Vertx vertx;
    private final HttpClient http;
    private final int cap;
    private final UniEmitter<? super Reply> emitter;
    private final Buffer body = Buffer.buffer();
    /** Guarded by this: the request once the connection is there; whether the outcome is decided. */
    private HttpClientRequest request;
    private boolean decided;
    private long timer = -1;

    HttpExchange(Vertx vertx, HttpClient http, int cap, UniEmitter<? super Reply> emitter) {
        this.vertx = vertx;
        this.http = http;
        this.cap = cap;
        this.emitter = emitter;
        // cancelled (the endpoint limiter stops the calls of an instance that lost its liveness): close the socket
        emitter.onTermination(this::onCancel);
    }

    /** The exchange was decided here: the request it ends, null while still connecting. */
    private record Decision(HttpClientRequest request) {
    }

    /** Marks the exchange decided, unless it already is (then null): whoever decides first reports the outcome. */
    private synchronized Decision decideNow() {
        if (decided) {
            return null;
        }
        decided = true;
        return new Decision(request);
    }

    private void onCancel() {
        Decision decision = decideNow();
        if (decision == null) {
            return;
        }
        HttpClientRequest req = decision.request();
        vertx.cancelTimer(timer);
        if (req != null) {
            closeThen(req, () -> {
            });
        }
        // else: still connecting; start() closes what opens once it sees the exchange decided
    }

    void start(RequestOptions options, Buffer payload, long deadlineMs) {
        long id = vertx.setTimer(Math.max(1, deadlineMs), t -> onDeadline());
        synchronized (this) {
            timer = id;
        }
        http.request(options).onComplete(ar -> {
            if (ar.failed()) {
                boolean late;
                synchronized (this) {
                    late = decided;
                    decided = true;
                }
                vertx.cancelTimer(timer);
                emitter.fail(late ? new DeadlineException() : ar.cause());
                return;
            }
            HttpClientRequest req = ar.result();
            boolean late;
            synchronized (this) {
                request = req;
                late = decided;
            }
            if (late) {
                // the deadline passed while connecting: close what just opened, then report the timeout
                closeThen(req, () -> emitter.fail(new DeadlineException()));
                return;
            }
            req.exceptionHandler(this::fail);
            Future<HttpClientResponse> sent = payload == null ? req.send() : req.send(payload);
            sent.onSuccess(this::read).onFailure(this::fail);
        });
    }

    private void read(HttpClientResponse resp) {
        String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > cap) {
            cut(resp);
            return;
        }
        resp.exceptionHandler(this::fail);
        resp.handler(chunk -> {
            boolean over;
            synchronized (this) {
                if (decided) {
                    return;
                }
                over = body.length() + chunk.length() > cap;
                if (!over) {
                    body.appendBuffer(chunk);
                }
            }
            if (over) {
                cut(resp);
            }
        });
        resp.endHandler(v -> decide(reply(resp, false), null));
    }

    /** Longer than the cap: close the connection (the rest is never read), then report the cut. */
    private void cut(HttpClientResponse resp) {
        Decision decision = decideNow();
        if (decision == null) {
            return;
        }
        HttpClientRequest req = decision.request();
        vertx.cancelTimer(timer);
        Reply reply = reply(resp, true);
        closeThen(req, () -> emitter.complete(reply));
    }

    private Reply reply(HttpClientResponse resp, boolean truncated) {
        return new Reply(resp.statusCode(), resp.getHeader(HttpHeaders.CONTENT_TYPE), resp.getHeader("Retry-After"),
                truncated ? Buffer.buffer() : body, truncated);
    }

    private void onDeadline() {
        Decision decision = decideNow();
        if (decision == null) {
            return;
        }
        HttpClientRequest req = decision.request();
        if (req != null) {
            closeThen(req, () -> emitter.fail(new DeadlineException()));
        }
        // else: still connecting; the connect timeout is not longer than the deadline, and start() closes it
    }

    private void fail(Throwable t) {
        decide(null, t);
    }

    private void decide(Reply reply, Throwable failure) {
        Decision decision = decideNow();
        if (decision == null) {
            return;
        }
        HttpClientRequest req = decision.request();
        vertx.cancelTimer(timer);
        if (failure == null) {
            emitter.complete(reply);
        } else if (req == null) {
            emitter.fail(failure);
        } else {
            // a broken exchange: make sure its socket is gone before the slot is
            closeThen(req, () -> emitter.fail(failure));
        }
    }

    /**
     * Closes the request's connection (HTTP/1.1: the TCP connection) and runs {@code then} {@link #ABORT_GRACE_MS}
     * after it is closed: the server learns of the abort only when it reads the closed connection, so a call sent at
     * once on the slot this frees would, for that moment, be one more than the endpoint's cap on the server.
     */
    private void closeThen(HttpClientRequest req, Runnable then) {
        HttpConnection connection = req.connection();
        if (connection == null) {
            req.reset();
            then.run();
            return;
        }
        connection.close().onComplete(ar -> vertx.setTimer(ABORT_GRACE_MS, t -> then.run()));
    }
}
