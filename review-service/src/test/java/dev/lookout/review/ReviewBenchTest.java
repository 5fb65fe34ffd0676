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

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.lookout.review.ReviewFixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Latency bench, not part of the default run: {@code ./mvnw -B -ntp -o -pl review-service test -Pbench}.
 * Boots the service as a @QuarkusTest (real PostgreSQL and RabbitMQ) and drives it over real HTTP from the same JVM
 * with two workloads, after an unmeasured warm-up of {@code bench.warmup.rounds} (20) zero-think rounds (saturation
 * then runs first, so the JIT has settled further before (i)):
 * <ol>
 * <li><b>reviewers</b> — 50 reviewers as people work: each loops POST /api/reviews/next, reads the task for a think
 * time drawn uniformly from [bench.think.min-ms, bench.think.max-ms] (default 1–3 s, seeded), then POST vote and asks
 * for the next task at once; each reviewer starts at a random offset within the first think time (people do not
 * all click at the same instant). This is the workload the review target (p99 &lt; 100 ms) is about.</li>
 * <li><b>saturation</b> — the same 50 reviewers with zero think time, each sending its next request as soon as the
 * previous answer arrives: throughput and latency of a server kept busy on every core.</li>
 * </ol>
 * Each workload prints p50/p90/p99/max per call, req/s and the load average (/proc/loadavg) before and after it, since
 * the box is shared with other builds. Think times wait on a scheduler (no sleeping threads); the client is
 * non-blocking (java.net.http async), so waiting reviewers cost the JVM nothing.
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReviewBenchTest {

    static final int REVIEWERS = Integer.getInteger("bench.reviewers", 50);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 20);
    /** JFR showed the C2 compiler threads as the JVM's biggest CPU user after a 5-round warm-up on 2 cores. */
    static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmup.rounds", 20);
    static final int THINK_ROUNDS = Integer.getInteger("bench.think.rounds", 15);
    static final int THINK_MIN_MS = Integer.getInteger("bench.think.min-ms", 1_000);
    static final int THINK_MAX_MS = Integer.getInteger("bench.think.max-ms", 3_000);
    static final long SEED = Long.getLong("bench.seed", 20_261_127L);

    @OidcWireMock
    WireMockServer wireMock;

    @TestHTTPResource("/")
    URL base;

    /** Latencies (ns) of one workload. */
    record Result(String name, List<Long> next, List<Long> firstNext, List<Long> vote, double seconds, String loadBefore,
                  String loadAfter, double cpuSeconds) {
    }

    private void batch(String project, int items) {
        ReviewFixtures.stubTokenEndpoint(wireMock);
        UUID probeRun = UUID.randomUUID();
        ReviewFixtures.stubProbeRun(wireMock, project, probeRun, UUID.randomUUID(), UUID.randomUUID(), 400,
                ReviewFixtures.comparison(project, items));
        as("eve", "engineer", project).contentType("application/json")
                .body(new JsonObject().put("project", project).put("probeRun", probeRun.toString()).encode())
                .post("/api/review-batches").then().statusCode(201);
    }

    @Test
    void fiftyConcurrentReviewers() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String warm = ReviewFixtures.project();
        batch(warm, REVIEWERS * WARMUP_ROUNDS);
        run(http, "warm-up", warm, WARMUP_ROUNDS, 0, 0); // JIT and connection warm-up, not reported

        // saturation first: it also finishes the JIT warm-up, so (i) measures a warmed-up server as in production
        String busy = ReviewFixtures.project();
        batch(busy, REVIEWERS * ROUNDS);
        Result saturation = run(http, "saturation", busy, ROUNDS, 0, 0);

        String people = ReviewFixtures.project();
        batch(people, REVIEWERS * THINK_ROUNDS);
        Result reviewers = run(http, "reviewers", people, THINK_ROUNDS, THINK_MIN_MS, THINK_MAX_MS);

        System.out.printf(Locale.ROOT, "%n=== review-service bench: %d reviewers, next + vote over HTTP, client in the same JVM"
                        + " (%d cores) ===%n", REVIEWERS, Runtime.getRuntime().availableProcessors());
        print(reviewers, String.format(Locale.ROOT, "(i) reviewers as people work: think time uniform %d-%d ms between"
                + " next and vote, random start within %d ms, %d rounds each; target p99 < 100 ms", THINK_MIN_MS,
                THINK_MAX_MS, THINK_MAX_MS, THINK_ROUNDS));
        print(saturation, String.format(Locale.ROOT, "(ii) saturation: zero think time, %d rounds each (a throughput"
                + " test, not the target workload)", ROUNDS));
    }

    private Result run(HttpClient http, String name, String project, int rounds, int thinkMinMs, int thinkMaxMs)
            throws Exception {
        List<Long> next = Collections.synchronizedList(new ArrayList<>());
        List<Long> firstNext = Collections.synchronizedList(new ArrayList<>());
        List<Long> vote = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger voted = new AtomicInteger();
        String loadBefore = loadAverage();
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        List<CompletableFuture<Void>> reviewers = new ArrayList<>();
        // One seeded source hands each reviewer its own seed: java.util.Random seeded with SEED + r gives nearly the
        // same first values for neighbouring r, which started all 50 "random" reviewers within ~0.2 s of each other.
        Random seeds = new Random(SEED);
        for (int r = 0; r < REVIEWERS; r++) {
            String token = ReviewFixtures.token("bench-" + name + "-" + r, List.of("reviewer"), project);
            Random random = new Random(seeds.nextLong());
            if (thinkMaxMs == 0) {
                reviewers.add(loop(http, project, token, rounds, 0, 0, 0, random, next, firstNext, vote, voted));
            } else {
                // people do not all click at the same instant: each starts at a random offset within one think time
                long offset = (long) (random.nextDouble() * thinkMaxMs);
                reviewers.add(CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(offset, TimeUnit.MILLISECONDS))
                        .thenCompose(ignored -> loop(http, project, token, rounds, 0, thinkMinMs, thinkMaxMs, random,
                                next, firstNext, vote, voted)));
            }
        }
        CompletableFuture.allOf(reviewers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(REVIEWERS * rounds, voted.get(), name + ": every item reviewed once");
        return new Result(name, next, firstNext, vote, seconds, loadBefore, loadAverage(), (processCpuNanos() - cpuBefore) / 1e9);
    }

    /** One reviewer's rounds, chained without blocking a thread: next → think → vote → next … */
    private CompletableFuture<Void> loop(HttpClient http, String project, String token, int rounds, int round,
                                         int thinkMinMs, int thinkMaxMs, Random random, List<Long> next,
                                         List<Long> firstNext, List<Long> vote, AtomicInteger voted) {
        if (round == rounds) {
            return CompletableFuture.completedFuture(null);
        }
        long think = thinkMaxMs == 0 ? 0 : thinkMinMs + (long) (random.nextDouble() * (thinkMaxMs - thinkMinMs));
        String choice = round % 3 == 0 ? "B" : "A";
        long t0 = System.nanoTime();
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "api/reviews/next?project=" + project))
                                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString())
                .thenCompose(task -> {
                    long took = System.nanoTime() - t0;
                    next.add(took);
                    if (round == 0) {
                        firstNext.add(took);
                    }
                    if (task.statusCode() != 200) {
                        throw new IllegalStateException("next answered " + task.statusCode() + ": " + task.body());
                    }
                    String taskId = new JsonObject(task.body()).getString("taskId");
                    return think == 0 ? CompletableFuture.completedFuture(taskId)
                            : CompletableFuture.supplyAsync(() -> taskId,
                            CompletableFuture.delayedExecutor(think, TimeUnit.MILLISECONDS));
                })
                .thenCompose(taskId -> {
                    long v0 = System.nanoTime();
                    return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "api/reviews/" + taskId + "/vote"))
                                            .header("Authorization", "Bearer " + token)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString("{\"choice\":\"" + choice + "\"}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .thenApply(answer -> {
                                vote.add(System.nanoTime() - v0);
                                if (answer.statusCode() != 200) {
                                    throw new IllegalStateException("vote answered " + answer.statusCode() + ": "
                                            + answer.body());
                                }
                                voted.incrementAndGet();
                                return answer;
                            });
                })
                .thenCompose(answer -> loop(http, project, token, rounds, round + 1, thinkMinMs, thinkMaxMs, random,
                        next, firstNext, vote, voted));
    }

    private static void print(Result result, String title) {
        int calls = result.next().size() + result.vote().size();
        System.out.printf(Locale.ROOT, "%n--- %s%n    %d calls in %.1f s = %.0f req/s; load average before: %s, after: %s%n",
                title, calls, result.seconds(), calls / result.seconds(), result.loadBefore(), result.loadAfter());
        System.out.printf(Locale.ROOT, "    JVM CPU per next + vote pair (service + bench client + background:"
                + " JIT, GC, schedulers): %.2f ms%n", result.cpuSeconds() * 1e3 / result.vote().size());
        line("POST /api/reviews/next", result.next());
        line("  of which each reviewer's 1st", result.firstNext());
        line("POST /api/reviews/{task}/vote", result.vote());
        List<Long> all = new ArrayList<>(result.next());
        all.addAll(result.vote());
        line("both", all);
    }

    private static void line(String label, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "    %-30s n=%5d  p50=%6.1f ms  p90=%6.1f ms  p99=%6.1f ms  max=%6.1f ms%n", label,
                sorted.size(), pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double q) {
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
    }

    /** CPU time of this JVM (service and bench client together). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** "1-min 5-min 15-min" from /proc/loadavg (Linux), else the JVM's 1-minute figure. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f (1 min)",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
