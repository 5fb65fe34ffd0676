package dev.lookout.ingest.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A request body that must arrive within a deadline and must not stall: every read first checks the overall
 * deadline, and a read that fails after waiting the idle timeout for data (Vert.x closes the connection then,
 * {@code quarkus.http.read-timeout}) is reported as a stall. Both fail with {@link BodyTooSlowException}, an
 * unchecked exception that the parsers pass on, so the append's transaction is rolled back and the run's row
 * lock released. A client that trickles its body can therefore hold the lock for at most deadline + idle.
 */
public final class TimedInputStream extends FilterInputStream {

    private final long idleNanos;
    private final long deadlineNanos;
    private final Duration idle;
    private final Duration deadline;

    public TimedInputStream(InputStream in, Duration idle, Duration deadline) {
        super(in);
        this.idle = idle;
        this.deadline = deadline;
        this.idleNanos = idle.toNanos();
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
    }

    @Override
    public int read() throws IOException {
        long start = beforeRead();
        try {
            return super.read();
        } catch (IOException e) {
            throw stalledOr(e, start);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long start = beforeRead();
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw stalledOr(e, start);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        long start = beforeRead();
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw stalledOr(e, start);
        }
    }

    private long beforeRead() {
        long now = System.nanoTime();
        if (now - deadlineNanos > 0) {
            throw new BodyTooSlowException("the request body did not arrive in full within " + seconds(deadline)
                    + "; send it faster or in smaller parts");
        }
        return now;
    }

    /** A read that gave up after (about) the idle timeout is a stalled client; anything else stays an I/O error. */
    private IOException stalledOr(IOException e, long start) {
        boolean timedOut = "Read timed out".equals(e.getMessage()) || System.nanoTime() - start >= idleNanos;
        if (timedOut) {
            throw new BodyTooSlowException("no part of the request body arrived for " + seconds(idle)
                    + "; the upload was cut off");
        }
        return e;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
