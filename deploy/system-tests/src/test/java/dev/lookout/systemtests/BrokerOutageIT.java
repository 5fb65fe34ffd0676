package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A long broker outage ({@value #OUTAGE_SECONDS} s): the API keeps answering meanwhile (reads go through the gateway
 * to the backends and PostgreSQL; each service's liveness is printed) and every service reconnects by itself
 * afterwards, with nobody restarting it: ingest accepts metrics and runs whose
 * events reach the gateway's live feed, a checkpoint's event reaches probe-runner, the probe run completes, its event
 * reaches the live feed and review-service builds its batch.
 */
@ExtendWith(SystemExtension.class)
class BrokerOutageIT {

    static final int OUTAGE_SECONDS = 150;
    private static final List<Integer> SERVICES = List.of(Ports.GATEWAY, Ports.INGEST, Ports.PROBE_RUNNER, Ports.REVIEW);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void afterALongOutageEveryServiceReconnectsByItselfAndARoundGoesThrough() throws Exception {
        SystemUnderTest.get();
        String job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim-outage");
        Seed.endpoint(job, endpoint);
        String suite = Seed.unique("outage-suite");
        Seed.suite(job, suite);

        Map<Integer, java.util.Set<Integer>> liveness = new java.util.TreeMap<>();
        BrokerOutage.hold(Duration.ofSeconds(OUTAGE_SECONDS), () -> apiAnswers(job) && recordLiveness(liveness));
        long back = System.nanoTime();
        System.out.println("[faults] broker-outage: /q/health/live statuses seen during the outage by port: " + liveness);
        // a broker outage must not make an orchestrator restart anything: liveness stays 200 on every service
        assertEquals(4, liveness.size(), liveness.toString());
        liveness.forEach((port, statuses) -> assertEquals(java.util.Set.of(200), statuses, "liveness of port " + port));

        List<String> live = new CopyOnWriteArrayList<>();
        try (Stream<String> feed = openLive(Api.trainingJobToken(), live)) {
            // ingest → gateway: a run created now shows up on the live feed (new runs until the feed has reconnected)
            List<String> runs = new ArrayList<>();
            String run = await("ingest's run.created on the gateway's live feed").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(3)).until(() -> {
                        runs.add(Seed.run(Api.trainingJobToken(), Seed.unique("outage"), endpoint, suite));
                        return runs.stream().filter(r -> live.stream().anyMatch(l -> l.contains(r)
                                && l.contains("run.created"))).findFirst().orElse(null);
                    }, r -> r != null);
            System.out.printf("[faults] broker-outage: ingest → gateway live feed again %.1f s after start_app%n",
                    (System.nanoTime() - back) / 1e9);
            String token = Api.trainingJobToken();
            Api.gateway(token).body(Map.of("points", List.of(
                            Map.of("name", "train/loss", "step", 10, "value", 0.9),
                            Map.of("name", "train/loss", "step", 20, "value", 0.8))))
                    .when().post("/api/runs/" + run + "/metrics").then().statusCode(200).body("stored", equalTo(2));

            // ingest → probe-runner → (gateway, review-service)
            Seed.checkpoint(token, run, 200, endpoint);
            String probeRun = (String) Seed.awaitProbeRunsCompleted(run, 1).get(0).get("id");
            await("probe-runner's probe-run.completed on the live feed").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> live.stream().anyMatch(l -> l.contains(probeRun) && l.contains("probe-run.completed")));
            Seed.awaitReviewBatch(null, Seed.PROJECT, probeRun);
            System.out.printf("[faults] broker-outage: %d s outage; a round went through %.1f s after start_app%n",
                    OUTAGE_SECONDS, (System.nanoTime() - back) / 1e9);
        }
    }

    /** A read through the gateway (gateway → ingest → PostgreSQL) answers 200 without the broker. */
    private static boolean apiAnswers(String token) {
        Api.gateway(token).queryParam("project", Seed.PROJECT).when().get("/api/runs").then().statusCode(200);
        return true;
    }

    /** Adds each service's current /q/health/live status to {@code seen}; always true. */
    private static boolean recordLiveness(Map<Integer, java.util.Set<Integer>> seen) throws Exception {
        for (int port : SERVICES) {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            seen.computeIfAbsent(port, p -> new java.util.TreeSet<>()).add(r.statusCode());
        }
        return true;
    }

    /** Opens the gateway's SSE feed and copies its lines into {@code lines} on another thread; close to end it. */
    private static Stream<String> openLive(String token, List<String> lines) throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(SystemUnderTest.GATEWAY_URL + "/api/live"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new AssertionError("/api/live answered " + response.statusCode());
        }
        Stream<String> body = response.body();
        CompletableFuture.runAsync(() -> body.forEach(lines::add));
        return body;
    }
}
