package dev.lookout.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * The caller's request body on its way to an upstream: counts the bytes, refuses a body over the route's limit
 * (the upstream's own limit) as soon as it is passed, and keeps a copy of a small body so that a request whose
 * upstream connection turned out dead can be sent again. A refused body is read to the end and thrown away (up to
 * {@link #DRAIN_BYTES} more, then the connection is closed), so a client that writes its whole body before reading
 * still gets the 413 instead of a reset. Lives on the caller's connection's event loop, like the request.
 */
final class CallerBody implements ReadStream<Buffer> {

    /** A body up to this size is kept in memory while it is forwarded, so it can be sent again. */
    static final int REPLAY_BYTES = 64 * 1024;
    /** After a refusal, at most this many more bytes are read and thrown away before the connection is closed. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;

    private final HttpServerRequest source;
    private final long limit;
    private final Runnable onTooLarge;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long bytes;
    private long drained;
    private boolean ended;
    private boolean refused;
    private Buffer copy = Buffer.buffer();

    CallerBody(HttpServerRequest source, long limit, Runnable onTooLarge) {
        this.source = source;
        this.limit = limit;
        this.onTooLarge = onTooLarge;
        source.handler(this::data);
        source.endHandler(v -> end());
        source.exceptionHandler(this::failed);
    }

    /** Refuses the body before any of it is forwarded (its declared length is over the limit): read and drop it. */
    void refuse() {
        refused = true;
        source.resume();
    }

    /** The upstream answered before the whole body was sent: the rest is read and dropped, nothing forwarded. */
    void drainRest() {
        refused = true;
        source.resume();
    }

    long limit() {
        return limit;
    }

    boolean refused() {
        return refused;
    }

    /** No byte of the body has been handed on yet: the same stream can feed a second attempt. */
    boolean untouched() {
        return bytes == 0 && !ended;
    }

    /** The whole body, when it has been read to its end and was small enough to keep; else null. */
    Buffer whole() {
        return ended && copy != null ? copy.copy() : null;
    }

    private void data(Buffer chunk) {
        if (refused) {
            drained += chunk.length();
            if (drained > DRAIN_BYTES) {
                source.connection().close();
            }
            return;
        }
        bytes += chunk.length();
        if (bytes > limit) {
            refused = true;
            copy = null;
            source.resume();
            onTooLarge.run();
            return;
        }
        if (copy != null) {
            copy = copy.length() + chunk.length() <= REPLAY_BYTES ? copy.appendBuffer(chunk) : null;
        }
        if (handler != null) {
            handler.handle(chunk);
        }
    }

    private void end() {
        ended = true;
        if (!refused && endHandler != null) {
            endHandler.handle(null);
        }
    }

    private void failed(Throwable failure) {
        if (!refused && exceptionHandler != null) {
            exceptionHandler.handle(failure);
        }
    }

    @Override
    public CallerBody exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public CallerBody handler(Handler<Buffer> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public CallerBody pause() {
        if (!refused) {
            source.pause();
        }
        return this;
    }

    @Override
    public CallerBody resume() {
        source.resume();
        return this;
    }

    @Override
    public CallerBody fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public CallerBody endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }
}
