package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ordinary requests next to hostile neighbours, all through the real gateway: while some clients send 12 MiB bodies,
 * abandon their bodies half-way, stall their uploads and hang up on their answers, a reviewer votes and a training
 * job posts metrics. No ordinary request may get a 5xx, and every oversized body gets 413 (never 502).
 */
@ExtendWith(SystemExtension.class)
class HostileNeighboursIT {

    private static final int OVERSIZED = 12 * 1024 * 1024;
    private static final int ROUNDS = 60;

    static String job;
    static String reviewer;
    static String run;
    /** The hostile callers' own run: a stalled upload holds its run's row lock until it is cut. */
    static String hostileRun;
    static String task;

    @BeforeAll
    static void neighbours() {
        Seed.reviewTasksReady();
        job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        run = Seed.run(job, Seed.unique("neighbours"), endpoint, null);
        hostileRun = Seed.run(job, Seed.unique("hostile"), endpoint, null);
        reviewer = Api.userToken("rob");
        Response next = Api.gateway(reviewer).queryParam("project", "demo").when().post("/api/reviews/next");
        assertEquals(200, next.statusCode(), next.asString());
        task = next.jsonPath().getString("taskId");
    }

    @Test
    void ordinaryWritesNeverFailNextToHostileCallersAndOversizedBodiesGet413() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(7);
        try {
            List<Future<List<String>>> ordinary = List.of(
                    // one reviewer's votes on one task, in order (re-voting replaces the vote)
                    pool.submit(() -> repeat(2 * ROUNDS, HostileNeighboursIT::vote)),
                    pool.submit(() -> repeatIndexed(ROUNDS, HostileNeighboursIT::metrics)),
                    pool.submit(() -> repeatIndexed(ROUNDS, i -> metrics(ROUNDS + i))));
            List<Future<List<String>>> oversized = List.of(
                    pool.submit(() -> repeat(15, () -> oversized("/api/reviews/" + task + "/vote"))),
                    pool.submit(() -> repeat(15, () -> oversized("/api/suites"))));
            List<Future<List<String>>> hostile = List.of(
                    pool.submit(() -> repeat(40, () -> abandon("/api/runs/" + hostileRun + "/metrics", 1_000_000, 64 * 1024))),
                    pool.submit(() -> repeat(40, () -> hangUp("/api/runs?project=demo&limit=200"))),
                    pool.submit(() -> repeat(3, () -> stall("/api/runs/" + hostileRun + "/logs?format=jsonl"))));
            List<String> statuses = collect(ordinary);
            List<String> refusals = collect(oversized);
            List<String> hostileDone = collect(hostile);

            assertEquals(4 * ROUNDS, statuses.size());
            // no 5xx and no failed exchange (a client-side failure is listed by its exception)
            List<String> failed = statuses.stream().filter(s -> !s.matches("[24]\\d\\d")).toList();
            assertEquals(List.of(), failed, "ordinary requests that failed next to hostile callers");
            assertEquals(4 * ROUNDS, statuses.stream().filter("200"::equals).count(), "every vote and batch: " + statuses);
            assertEquals(30, refusals.size());
            assertEquals(Collections.nCopies(30, "413"), refusals, "oversized bodies get 413 from the gateway");
            assertEquals(83, hostileDone.size());
        } finally {
            pool.shutdownNow();
        }
        // the job's writes all landed: one point per request
        Api.gateway(job).when().get("/api/runs/" + run + "/series").then().statusCode(200)
                .body("series[0].count", org.hamcrest.Matchers.equalTo(2 * ROUNDS));
    }

    private static List<String> collect(List<Future<List<String>>> futures) throws Exception {
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : futures) {
            all.addAll(f.get(5, TimeUnit.MINUTES));
        }
        return all;
    }

    private static List<String> repeat(int times, Supplier<String> call) {
        return repeatIndexed(times, i -> call.get());
    }

    private static List<String> repeatIndexed(int times, java.util.function.IntFunction<String> call) {
        List<String> results = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            try {
                results.add(call.apply(i));
            } catch (RuntimeException e) {
                results.add(e.toString());
            }
        }
        return results;
    }

    private static String vote() {
        return outcome(Api.gateway(reviewer).body(Map.of("choice", "A", "tags", List.of()))
                .when().post("/api/reviews/" + task + "/vote"));
    }

    private static String metrics(int step) {
        return outcome(Api.gateway(job)
                .body(Map.of("points", List.of(Map.of("name", "train/loss", "step", step + 1, "value", 2.0))))
                .when().post("/api/runs/" + run + "/metrics"));
    }

    /** The status; a 5xx also carries its answer, so a failure says which service failed how. */
    private static String outcome(Response response) {
        int status = response.statusCode();
        return status >= 500 ? status + " " + response.asString() : Integer.toString(status);
    }

    /** A 12 MiB body (Content-Length declared); the status, or the client's failure. */
    private static String oversized(String path) {
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            return Integer.toString(client.send(HttpRequest.newBuilder(URI.create(SystemUnderTest.GATEWAY_URL + path))
                    .header("Authorization", "Bearer " + job).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[OVERSIZED])).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** Declares {@code declared} bytes, sends {@code sent}, then resets the connection. */
    private static String abandon(String path, int declared, int sent) {
        try (Socket s = open(path, declared)) {
            s.getOutputStream().write(new byte[sent]);
            s.getOutputStream().flush();
            s.setSoLinger(true, 0);
            return "abandoned";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Asks for a list and resets the connection before reading the answer. */
    private static String hangUp(String path) {
        try (Socket s = new Socket("127.0.0.1", Ports.GATEWAY)) {
            s.setSoLinger(true, 0);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + job
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return "hung up";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Starts an upload and stalls: it waits until the upload is cut (ingest-service's body idle timeout). */
    private static String stall(String path) {
        try (Socket s = open(path, 5_000_000)) {
            s.setSoTimeout(30_000); // a bound only: the answer does not matter here
            // ~100 KB: past what the REST layers buffer before the service reads
            s.getOutputStream().write("{\"step\": 1, \"loss\": 2.5}\n".repeat(4000).getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return "cut: " + in.read();
        } catch (IOException e) {
            return "cut: " + e.getMessage();
        }
    }

    private static Socket open(String path, int declared) throws IOException {
        Socket s = new Socket("127.0.0.1", Ports.GATEWAY);
        OutputStream out = s.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + job
                + "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }
}
