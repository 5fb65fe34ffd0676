package dev.lookout.gateway.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy against a real local upstream that closes connections: one caller's oversized, aborted or abandoned
 * request never fails another caller's write, oversized bodies get 413 from the gateway, and a request whose pooled
 * connection the upstream had closed is sent again on a fresh connection.
 */
class ApiProxyNeighboursTest {

    private static final int ANSWER_BYTES = 64 * 1024;

    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<HttpConnection, AtomicInteger> requestsOnConnection =
            Collections.synchronizedMap(new WeakHashMap<>());
    private ProxyHarness harness;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        harness = new ProxyHarness(this::upstream);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    /** The stand-in upstream: answers votes and suites, and misbehaves on the paths the tests name. */
    private void upstream(HttpServerRequest request) {
        String path = request.path();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        int nth = requestsOnConnection.computeIfAbsent(request.connection(), c -> new AtomicInteger()).incrementAndGet();
        if (path.endsWith("/dead") || (path.endsWith("/stale") && nth > 1)) {
            request.connection().close(); // closed without an answer, as a kept-alive connection closed while idle
            return;
        }
        if (path.equals("/api/exports/slow")) { // answered after a second, if anyone still listens
            harness.vertx.setTimer(1000, t -> request.response().end("{}"));
            return;
        }
        if (path.equals("/api/exports/answer")) {
            request.response().setChunked(true);
            for (int i = 0; i < ANSWER_BYTES / 1024; i++) {
                request.response().write(Buffer.buffer(new byte[1024]));
            }
            request.response().end();
            return;
        }
        request.body().onSuccess(body -> request.response().setStatusCode(path.equals("/api/suites") ? 201 : 200)
                .putHeader("Content-Type", "application/json")
                .end("{\"bytes\":" + body.length() + ",\"auth\":\"" + request.getHeader("Authorization") + "\"}"));
    }

    private int hitsOf(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(harness.gatewayUrl() + path))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] vote() {
        return "{\"choice\":\"A\",\"tags\":[]}".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anOversizedBodyGets413FromTheGatewayAndNeverReachesTheUpstream() throws Exception {
        byte[] oversized = new byte[(int) ProxyHarness.REVIEW_LIMIT + 1];
        HttpResponse<String> refused = post("/api/reviews/t1/vote", oversized);
        assertEquals(413, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("at most 1 MiB") && refused.body().contains("review-service"),
                refused.body());
        assertEquals(0, hitsOf("/api/reviews/t1/vote"), "the upstream never saw the oversized body");

        // a client that writes its whole body before it reads still gets the 413, and its connection stays usable
        String raw = rawPostThenRead("/api/reviews/t1/vote", oversized.length, oversized.length, true);
        assertTrue(raw.startsWith("HTTP/1.1 413"), raw);
        assertTrue(raw.contains("HTTP/1.1 200"), "the next request on that connection is answered: " + raw);

        HttpResponse<String> atTheLimit = post("/api/reviews/t1/vote", new byte[(int) ProxyHarness.REVIEW_LIMIT]);
        assertEquals(200, atTheLimit.statusCode(), atTheLimit.body());
        assertTrue(atTheLimit.body().contains("\"bytes\":" + ProxyHarness.REVIEW_LIMIT), atTheLimit.body());
        assertTrue(atTheLimit.body().contains("Bearer eve-token"), atTheLimit.body());
    }

    @Test
    void aChunkedBodyIsCutWith413AsSoonAsItPassesTheLimit() throws Exception {
        byte[] oversized = new byte[(int) ProxyHarness.REVIEW_LIMIT * 3];
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(
                        URI.create(harness.gatewayUrl() + "/api/reviews/t2/vote")).timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, refused.statusCode(), refused.body());
        assertEquals(200, post("/api/reviews/t2/vote", vote()).statusCode());
    }

    @Test
    void aRequestOnAPooledConnectionTheUpstreamClosedIsSentAgainOnAFreshOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = post("/api/review-batches/stale", vote());
            assertEquals(200, answer.statusCode(), "request " + i + ": " + answer.body());
            assertTrue(answer.body().contains("\"bytes\":" + vote().length), answer.body());
        }
        // 1st: a new connection; 2nd: that pooled connection, closed by the upstream, then once more on a fresh
        // one; 3rd: a new connection again (the closed one left the pool)
        assertEquals(4, hitsOf("/api/review-batches/stale"));
    }

    @Test
    void aWriteWhoseFreshConnectionDiesIsNotSentTwiceButAReadIs() throws Exception {
        HttpResponse<String> write = post("/api/review-batches/dead", vote());
        assertEquals(502, write.statusCode(), write.body());
        assertEquals(1, hitsOf("/api/review-batches/dead"), "a POST on a new connection is never replayed");

        HttpResponse<String> read = client.send(HttpRequest.newBuilder(
                        URI.create(harness.gatewayUrl() + "/api/review-batches/dead")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, read.statusCode(), read.body());
        assertEquals(3, hitsOf("/api/review-batches/dead"), "a GET is tried exactly twice");
    }

    @Test
    void aReadWhoseCallerHungUpIsDroppedNotSentAgain() throws Exception {
        try (Socket s = new Socket("127.0.0.1", harness.gatewayPort())) {
            s.getOutputStream().write("GET /api/exports/slow HTTP/1.1\r\nHost: gw\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> hitsOf("/api/exports/slow") == 1);
            s.setSoLinger(true, 0);
        } // reset while the upstream still works on it
        // past the upstream's answer (1 s): the hit count must stay 1 all along
        await("the GET of a caller that went away is not retried").during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3)).until(() -> hitsOf("/api/exports/slow") == 1);
    }

    @Test
    void hostileNeighboursNeverFailAnOrdinaryVote() throws Exception {
        int rounds = 150;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<String>>> hostile = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int kind = t;
                hostile.add(pool.submit(() -> hostile(kind, rounds)));
            }
            List<Future<List<String>>> ordinary = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                ordinary.add(pool.submit(() -> {
                    List<String> statuses = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        statuses.add(ordinaryVote(i));
                    }
                    return statuses;
                }));
            }
            List<String> statuses = new ArrayList<>();
            for (Future<List<String>> f : ordinary) {
                statuses.addAll(f.get(120, TimeUnit.SECONDS));
            }
            List<String> refusals = new ArrayList<>();
            for (Future<List<String>> f : hostile) {
                refusals.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertEquals(3 * rounds, statuses.size());
            List<String> failed = statuses.stream().filter(s -> !s.equals("200")).toList();
            assertEquals(List.of(), failed, "ordinary votes that failed next to hostile callers");
            assertEquals(rounds, refusals.size(), "every oversized body was answered");
            assertTrue(refusals.stream().allMatch(r -> r.startsWith("HTTP/1.1 413")),
                    "oversized bodies get 413, never 502: " + refusals.stream().filter(r -> !r.startsWith("HTTP/1.1 413")).toList());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The status of one ordinary vote, or the client's failure (a timeout counts as a failure too). */
    private String ordinaryVote(int i) {
        try {
            return Integer.toString(post("/api/reviews/t" + i + "/vote", vote()).statusCode());
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** kind 0: hangs up on its answer; 1: aborts its body half-way; 2: sends an oversized body (answers listed). */
    private List<String> hostile(int kind, int rounds) throws IOException {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            switch (kind) {
                case 0 -> {
                    try (Socket s = new Socket("127.0.0.1", harness.gatewayPort())) {
                        s.setSoLinger(true, 0);
                        s.getOutputStream().write(("GET /api/exports/answer HTTP/1.1\r\nHost: gw\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        s.getInputStream().read(new byte[16]);
                    }
                }
                case 1 -> rawPostThenRead("/api/suites", 100_000, 1_000, false);
                default -> answers.add(rawPostThenRead("/api/reviews/x/vote", 2 * ProxyHarness.REVIEW_LIMIT,
                        2 * ProxyHarness.REVIEW_LIMIT, false));
            }
        }
        return answers;
    }

    /**
     * Raw HTTP/1.1: declares {@code declared} bytes, writes {@code sent} of them, then (when complete) reads the
     * answer; an incomplete body is abandoned (connection reset). {@code thenVote} sends a vote on the same
     * connection afterwards.
     */
    private String rawPostThenRead(String path, long declared, long sent, boolean thenVote) throws IOException {
        try (Socket s = new Socket("127.0.0.1", harness.gatewayPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: "
                    + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (long left = sent; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            out.flush();
            if (sent < declared) {
                s.setSoLinger(true, 0);
                return "";
            }
            if (thenVote) {
                byte[] vote = vote();
                out.write(("POST /api/reviews/t9/vote HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + vote.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(vote);
                out.flush();
            }
            return readAnswers(s.getInputStream(), thenVote ? 2 : 1);
        }
    }

    private static String readAnswers(InputStream in, int answers) throws IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            if (got.toString().split("HTTP/1.1 ", -1).length > answers && got.toString().endsWith("}")) {
                break;
            }
        }
        return got.toString();
    }
}
