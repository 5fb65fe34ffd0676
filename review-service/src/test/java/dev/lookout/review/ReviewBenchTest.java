package dev.lookout.review;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.lookout.review.ReviewFixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Latency bench, not part of the default run: {@code ./mvnw -B -ntp -o -pl review-service test -Pbench}.
 * 50 concurrent reviewers each loop GET /api/reviews/next + POST /api/reviews/{task}/vote over real HTTP against
 * the service booted by @QuarkusTest (real PostgreSQL and RabbitMQ), then p50/p90/p99/max are printed.
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewBenchTest {

    static final int REVIEWERS = Integer.getInteger("bench.reviewers", 50);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 20);

    @OidcWireMock
    WireMockServer wireMock;

    @TestHTTPResource("/")
    URL base;

    private String batch(String project, int items) {
        ReviewFixtures.stubTokenEndpoint(wireMock);
        UUID probeRun = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, UUID.randomUUID(), UUID.randomUUID(), 400,
                ReviewFixtures.comparison(project, items));
        return as("eve", "engineer", project).contentType("application/json")
                .body(new JsonObject().put("project", project).put("probeRun", probeRun.toString()).encode())
                .post("/api/review-batches").then().statusCode(201).extract().jsonPath().getString("id");
    }

    @Test
    void fiftyConcurrentReviewers() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(REVIEWERS);
        try {
            String warm = ReviewFixtures.project();
            batch(warm, REVIEWERS * 5);
            run(http, pool, warm, 5, null, null); // JIT and connection warm-up, not measured

            String project = ReviewFixtures.project();
            batch(project, REVIEWERS * ROUNDS);
            List<Long> next = Collections.synchronizedList(new ArrayList<>());
            List<Long> vote = Collections.synchronizedList(new ArrayList<>());
            long started = System.nanoTime();
            int voted = run(http, pool, project, ROUNDS, next, vote);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(REVIEWERS * ROUNDS, voted, "every item reviewed once");
            System.out.printf(Locale.ROOT, "%n=== review-service bench: %d reviewers x %d rounds (next + vote), %.1f s, %.0f req/s%n",
                    REVIEWERS, ROUNDS, seconds, 2 * voted / seconds);
            print("GET  /api/reviews/next", next);
            print("POST /api/reviews/{task}/vote", vote);
            List<Long> all = new ArrayList<>(next);
            all.addAll(vote);
            print("both", all);
        } finally {
            pool.shutdownNow();
        }
    }

    private int run(HttpClient http, ExecutorService pool, String project, int rounds, List<Long> next, List<Long> vote)
            throws Exception {
        AtomicInteger voted = new AtomicInteger();
        List<CompletableFuture<Void>> reviewers = new ArrayList<>();
        for (int r = 0; r < REVIEWERS; r++) {
            String token = ReviewFixtures.token("bench-" + r, List.of("reviewer"), project);
            reviewers.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> task = http.send(HttpRequest.newBuilder(
                                        URI.create(base + "api/reviews/next?project=" + project))
                                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (task.statusCode() != 200) {
                            throw new IllegalStateException("next answered " + task.statusCode() + ": " + task.body());
                        }
                        // a plain JSON parse: RestAssured's JsonPath runs Groovy and cost more CPU than the request
                        String taskId = new JsonObject(task.body()).getString("taskId");
                        long v0 = System.nanoTime(); // client-side parsing stays out of the vote's latency
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                        URI.create(base + "api/reviews/" + taskId + "/vote"))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"choice\":\"" + (i % 3 == 0 ? "B" : "A") + "\"}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        long t2 = System.nanoTime();
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException("vote answered " + answer.statusCode() + ": " + answer.body());
                        }
                        voted.incrementAndGet();
                        if (next != null) {
                            next.add(t1 - t0);
                            vote.add(t2 - v0);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        CompletableFuture.allOf(reviewers.toArray(CompletableFuture[]::new)).get();
        return voted.get();
    }

    private static void print(String label, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%-32s n=%5d  p50=%6.1f ms  p90=%6.1f ms  p99=%6.1f ms  max=%6.1f ms%n", label,
                sorted.size(), pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double q) {
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
    }
}
