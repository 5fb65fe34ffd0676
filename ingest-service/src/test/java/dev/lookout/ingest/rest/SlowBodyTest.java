package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stalls or trickles its body must not hold the upload's transaction and the run's row lock: the body is
 * cut (idle timeout 1 s, deadline 4 s here), nothing is stored, and the next append to the same run goes through.
 */
@QuarkusTest
@TestProfile(SlowBodyTest.ShortTimeouts.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class SlowBodyTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lookout.ingest.body-idle-timeout", "1s", "lookout.ingest.body-read-deadline", "4s");
        }
    }

    /** More than the 10 KiB REST layer buffers before the endpoint runs, so the upload is under way (lock held). */
    static final int HEAD_LINES = 2000;

    @TestHTTPResource("/")
    URL base;

    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTrickling() {
        trickler.shutdownNow();
    }

    static String line(int step) {
        return "{\"step\": " + step + ", \"loss\": " + (3.0 - step / 10_000.0) + "}\n";
    }

    static byte[] head() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= HEAD_LINES; i++) {
            sb.append(line(i));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Opens a raw connection and sends the request line, headers (a Content-Length far above what follows) and head. */
    Socket startUpload(String run, byte[] head) throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        s.setSoTimeout(30_000); // a failure bound only: the server must end the exchange long before
        String headers = "POST /api/runs/" + run + "/logs?format=jsonl HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                + "Authorization: Bearer " + eve() + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 900000\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        out.write(head);
        out.flush();
        return s;
    }

    /**
     * What the server sent: a whole answer (status, headers and Content-Length bytes of body), or whatever came before
     * it closed the connection (possibly nothing: a stalled client is cut without an answer).
     */
    static String readAnswer(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while (!complete(got.toString(StandardCharsets.UTF_8)) && (n = in.read(buf)) != -1) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the upload; got: " + got, e);
        } catch (IOException e) {
            // connection reset: the server cut the upload; what arrived before is kept
            got.write(("\n[" + e.getMessage() + "]").getBytes(StandardCharsets.UTF_8));
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(answer);
        return end > 0 && length.find() && length.start() < end
                && answer.getBytes(StandardCharsets.UTF_8).length - end - 4 >= Integer.parseInt(length.group(1));
    }

    /** Waits (bounded) until the server has answered and closed the connection, or cut it. */
    static String answer(Socket s) {
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return readAnswer(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(40)).until(answer::isDone);
        return answer.join();
    }

    /** The same run takes a metrics batch (its row lock is free), within a client timeout that bounds the wait. */
    static void assertRunTakesAppends(String run) {
        RestAssuredConfig bounded = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 20_000).setParam("http.connection.timeout", 5_000));
        as(eve()).config(bounded).contentType(ContentType.JSON)
                .body(Map.of("points", List.of(Map.of("name", "loss", "step", 1, "value", 2.0))))
                .post("/api/runs/{id}/metrics", run)
                .then().statusCode(200).body("stored", equalTo(1));
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200)
                .body("series", hasSize(1)).body("series[0].count", equalTo(1));
    }

    @Test
    void shouldCutAStalledUploadRollItBackAndReleaseTheRun() throws Exception {
        String run = createRun();
        try (Socket s = startUpload(run, head())) {
            String answer = answer(s);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408") || answer.startsWith("\n["),
                    "a stalled upload is cut (closed, or answered 408), got: " + answer);
        }
        // the HEAD_LINES points read before the stall were rolled back; the run takes appends again
        assertRunTakesAppends(run);
    }

    @Test
    void shouldAnswerATricklingUpload408AndReleaseTheRun() throws Exception {
        String run = createRun();
        AtomicInteger step = new AtomicInteger(HEAD_LINES);
        try (Socket s = startUpload(run, head())) {
            OutputStream out = s.getOutputStream();
            trickler.scheduleAtFixedRate(() -> {
                try {
                    out.write(line(step.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException("the server closed the upload", e); // ends the schedule
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            String answer = answer(s);
            assertTrue(answer.startsWith("HTTP/1.1 408"), "a trickled upload past the deadline gets 408, got: " + answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("nothing was stored"), answer);
        }
        trickler.shutdownNow();
        assertTrue(trickler.awaitTermination(10, TimeUnit.SECONDS));
        assertRunTakesAppends(run);
        assertEquals(1, (int) as(eve()).get("/api/runs/{id}/series", run).then().extract().path("series[0].count"));
    }
}
