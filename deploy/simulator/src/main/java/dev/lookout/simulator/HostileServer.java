package dev.lookout.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A model server that misbehaves, for attack tests, on 127.0.0.1 and a given port (0: any free one; a fixed one when
 * the allowlist under test names it): it answers a huge chat completion without a length
 * ({@link Mode#HUGE}), sends headers and then one byte a second forever ({@link Mode#DRIP}), or answers a fixed status
 * and body ({@link Mode#FIXED}). One thread and a selector: in each round it notices closed connections before it
 * accepts new ones, so {@link #peakOpen()} is the most connections the client really held at once.
 */
public final class HostileServer implements AutoCloseable {

    public enum Mode {
        HUGE, DRIP, FIXED
    }

    private static final long DRIP_NANOS = 1_000_000_000L;

    private final Mode mode;
    private final long hugeBytes;
    private final int status;
    private final String body;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

    /** Per connection: the request read so far, whether the answer began, what is left to send. */
    private static final class Conn {
        final StringBuilder request = new StringBuilder();
        boolean answering;
        ByteBuffer pending;
        long hugeLeft;
        long nextDrip;
    }

    private HostileServer(int port, Mode mode, long hugeBytes, int status, String body) {
        this.mode = mode;
        this.hugeBytes = hugeBytes;
        this.status = status;
        this.body = body;
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress("127.0.0.1", port));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, "hostile-model-server-" + mode.name().toLowerCase(Locale.ROOT));
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers 200 with a chat completion of about {@code bytes} bytes, without Content-Length. */
    public static HostileServer huge(int port, long bytes) {
        return new HostileServer(port, Mode.HUGE, bytes, 200, null);
    }

    /** Sends 200 headers, then one byte a second until the client goes away. */
    public static HostileServer drip(int port) {
        return new HostileServer(port, Mode.DRIP, 0, 200, null);
    }

    /** Answers every request with this status and body (and closes). */
    public static HostileServer fixed(int port, int status, String body) {
        return new HostileServer(port, Mode.FIXED, 0, status, body);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.socket().getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    public int open() {
        return open.get();
    }

    public int peakOpen() {
        return peak.get();
    }

    public int closedByClient() {
        return closedByClient.get();
    }

    public String lastAuthorization() {
        return lastAuthorization.get();
    }

    private void loop() {
        try {
            while (running) {
                selector.select(100);
                List<SelectionKey> accepts = new ArrayList<>();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accepts.add(key);
                    } else {
                        service(key);
                    }
                }
                for (SelectionKey key : selector.keys()) {
                    if (key.isValid() && key.attachment() instanceof Conn) {
                        write(key);
                    }
                }
                // closes first (above), then new connections: the peak counts what the client really held at once
                for (SelectionKey ignored : accepts) {
                    acceptAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                throw new IllegalStateException("hostile model server failed", e);
            }
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Conn());
            accepted.incrementAndGet();
            peak.accumulateAndGet(open.incrementAndGet(), Math::max);
        }
    }

    private void service(SelectionKey key) {
        Conn conn = (Conn) key.attachment();
        SocketChannel channel = (SocketChannel) key.channel();
        ByteBuffer in = ByteBuffer.allocate(8192);
        try {
            int n = channel.read(in);
            if (n < 0) {
                gone(key, true);
                return;
            }
            conn.request.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
            if (!conn.answering && conn.request.indexOf("\r\n\r\n") >= 0) {
                answer(conn);
            }
        } catch (IOException e) {
            gone(key, true);
        }
    }

    private void answer(Conn conn) {
        conn.answering = true;
        for (String line : conn.request.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("authorization:")) {
                lastAuthorization.set(line.substring("authorization:".length()).trim());
            }
        }
        String head;
        switch (mode) {
            case HUGE -> {
                head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                        + "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"finish_reason\":"
                        + "\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"";
                conn.hugeLeft = hugeBytes;
            }
            case DRIP -> {
                head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
                conn.nextDrip = System.nanoTime() + DRIP_NANOS;
            }
            default -> {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                head = "HTTP/1.1 " + status + " Hostile\r\nContent-Type: text/plain\r\nContent-Length: " + b.length
                        + "\r\nConnection: close\r\n\r\n" + body;
            }
        }
        conn.pending = ByteBuffer.wrap(head.getBytes(StandardCharsets.UTF_8));
    }

    private void write(SelectionKey key) {
        Conn conn = (Conn) key.attachment();
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            if (conn.pending != null && !conn.pending.hasRemaining()) {
                conn.pending = null;
            }
            if (conn.pending == null && conn.answering) {
                conn.pending = next(conn);
                if (conn.pending == null && mode == Mode.FIXED) {
                    gone(key, false);
                    return;
                }
            }
            if (conn.pending != null) {
                channel.write(conn.pending);
            }
            boolean more = conn.pending != null && conn.pending.hasRemaining() || mode == Mode.HUGE && conn.hugeLeft > 0;
            key.interestOps(SelectionKey.OP_READ | (more ? SelectionKey.OP_WRITE : 0));
        } catch (IOException e) {
            gone(key, true);
        }
    }

    private ByteBuffer next(Conn conn) {
        if (mode == Mode.HUGE && conn.hugeLeft > 0) {
            int size = (int) Math.min(64 * 1024, conn.hugeLeft);
            conn.hugeLeft -= size;
            byte[] chunk = "a".repeat(size).getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.wrap(chunk);
        }
        if (mode == Mode.DRIP && System.nanoTime() - conn.nextDrip >= 0) {
            conn.nextDrip += DRIP_NANOS;
            return ByteBuffer.wrap(new byte[] { ' ' });
        }
        return null;
    }

    private void gone(SelectionKey key, boolean byClient) {
        if (!key.isValid()) {
            return;
        }
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // closing a dead socket: nothing left to release
            key.attach(null);
        }
        open.decrementAndGet();
        if (byClient) {
            closedByClient.incrementAndGet();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
