package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

/** Builds demo data through the gateway with the training-job token, the way an automated job would. */
public final class Seed {
    public static final String PROJECT = "demo";
    static final Duration PROBE_TIMEOUT = Duration.ofMinutes(4);

    private Seed() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An endpoint named {@code name} pointing at the simulator. */
    public static String endpoint(String token, String name) {
        return endpoint(token, PROJECT, name, 200);
    }

    /** An endpoint of {@code project} pointing at the simulator, answers cut to {@code maxTokens} tokens. */
    public static String endpoint(String token, String project, String name, int maxTokens) {
        return Api.gateway(token)
                .body(Map.of("project", project, "name", name, "baseUrl", SystemUnderTest.SIMULATOR_URL,
                        "maxConcurrency", 8, "timeoutMs", 20000,
                        "params", Map.of("temperature", 0, "max_tokens", maxTokens, "seed", 7)))
                .when().post("/api/endpoints")
                .then().statusCode(201).body("id", notNullValue()).extract().path("id");
    }

    /** A small suite: two Chinese and two English customer-service questions. */
    public static String suite(String token, String name) {
        List<Map<String, Object>> probes = List.of(
                probe("zh-refund", "退款申请通过了，钱多久能退回到我的银行卡？", List.of("refunds", "zh")),
                probe("zh-delivery", "说好昨天送到，到现在物流还没更新，怎么回事？", List.of("delivery", "zh")),
                probe("en-order", "Order #A-88412 has said 'processing' for four days. When will it ship?", List.of("orders", "en")),
                probe("en-complaint", "I was charged twice for the same order. This is unacceptable.", List.of("complaints", "en")));
        return suite(token, PROJECT, name, probes);
    }

    /** Eight customer-service questions, half Chinese, half English (enough review items for several reviewers). */
    public static List<Map<String, Object>> eightProbes() {
        return List.of(
                probe("zh-refund", "退款申请通过了，钱多久能退回到我的银行卡？", List.of("refunds", "zh")),
                probe("zh-delivery", "说好昨天送到，到现在物流还没更新，怎么回事？", List.of("delivery", "zh")),
                probe("zh-invoice", "我需要开一张增值税专用发票，应该怎么申请？", List.of("invoices", "zh")),
                probe("zh-address", "下单后发现地址写错了，还能修改吗？", List.of("orders", "zh")),
                probe("en-order", "Order #A-88412 has said 'processing' for four days. When will it ship?", List.of("orders", "en")),
                probe("en-complaint", "I was charged twice for the same order. This is unacceptable.", List.of("complaints", "en")),
                probe("en-return", "The jacket I bought is too small. How do I return it?", List.of("returns", "en")),
                probe("en-account", "I can no longer log in to my account after changing my email address.", List.of("account", "en")));
    }

    /** A suite of {@code project} with the given probes. */
    public static String suite(String token, String project, String name, List<Map<String, Object>> probes) {
        return Api.gateway(token).body(Map.of("project", project, "name", name, "probes", probes))
                .when().post("/api/suites")
                .then().statusCode(201).body("id", notNullValue()).extract().path("id");
    }

    public static Map<String, Object> probe(String id, String question, List<String> tags) {
        return Map.of("id", id, "messages", List.of(Map.of("role", "user", "content", question)), "tags", tags);
    }

    /** A run in demo whose baseline is demo-base on {@code endpoint}; {@code suite} may be null. */
    public static String run(String token, String name, String endpoint, String suite) {
        return run(token, PROJECT, name, endpoint, suite);
    }

    /** A run in {@code project} whose baseline is demo-base on {@code endpoint}; {@code suite} may be null. */
    public static String run(String token, String project, String name, String endpoint, String suite) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("project", project, "name", name,
                "labels", Map.of("method", "sft"), "baseline", Map.of("endpoint", endpoint, "model", "demo-base")));
        if (suite != null) {
            body.put("suite", suite);
        }
        return Api.gateway(token).body(body)
                .when().post("/api/runs")
                .then().statusCode(201).body("id", notNullValue()).extract().path("id");
    }

    public static String checkpoint(String token, String run, int step, String endpoint) {
        return checkpoint(token, run, step, endpoint, "demo-ckpt-" + step);
    }

    /** A checkpoint at {@code step} served as {@code endpoint}/{@code model}. */
    public static String checkpoint(String token, String run, int step, String endpoint, String model) {
        return Api.gateway(token)
                .body(Map.of("step", step, "label", "checkpoint-" + step,
                        "target", Map.of("endpoint", endpoint, "model", model)))
                .when().post("/api/runs/" + run + "/checkpoints")
                .then().statusCode(201).body("id", notNullValue()).extract().path("id");
    }

    /** Waits until {@code count} probe runs of the run are completed; returns them. Fails at once when one fails. */
    public static List<Map<String, Object>> awaitProbeRunsCompleted(String run, int count) {
        return awaitProbeRunsCompleted(null, PROJECT, run, count);
    }

    /** The same with the token of someone who sees {@code project} (null: a fresh training-job token each poll). */
    public static List<Map<String, Object>> awaitProbeRunsCompleted(String token, String project, String run, int count) {
        return await("probe runs of run " + run + " completed").atMost(PROBE_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    List<Map<String, Object>> list = Api.gateway(token == null ? Api.trainingJobToken() : token)
                            .queryParam("project", project).queryParam("run", run)
                            .when().get("/api/probe-runs")
                            .then().statusCode(200).extract().jsonPath().getList("$");
                    for (Map<String, Object> p : list) {
                        if (List.of("failed", "cancelled").contains(p.get("status"))) {
                            throw new AssertionError("probe run " + p.get("status") + ": " + p);
                        }
                    }
                    return list;
                }, list -> list.size() >= count && list.stream().allMatch(p -> "completed".equals(p.get("status"))));
    }

    private static volatile boolean reviewTasksReady;

    /**
     * Once per JVM: a run with one checkpoint (demo-ckpt-600, the most changed answers), its probe run completed and
     * its review batch built, so that a reviewer of demo has tasks waiting whatever test runs first.
     */
    public static synchronized void reviewTasksReady() {
        if (reviewTasksReady) {
            return;
        }
        String token = Api.trainingJobToken();
        String endpoint = unique("sim");
        endpoint(token, endpoint);
        String suite = unique("smoke");
        suite(token, suite);
        String run = run(token, unique("review-seed"), endpoint, suite);
        checkpoint(token, run, 600, endpoint);
        String probeRun = (String) awaitProbeRunsCompleted(run, 1).get(0).get("id");
        awaitReviewBatch(null, PROJECT, probeRun);
        reviewTasksReady = true;
    }

    /** Waits until review-service has built the batch of {@code probeRun}; returns the batch id. */
    public static String awaitReviewBatch(String token, String project, String probeRun) {
        return await("review batch of probe run " + probeRun).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    JsonPath batches = Api.gateway(token == null ? Api.trainingJobToken() : token).queryParam("project", project)
                            .when().get("/api/review-batches").then().statusCode(200).extract().jsonPath();
                    List<String> ids = batches.getList(
                            "findAll { it.probeRunId == '" + probeRun + "' || it.probeRun == '" + probeRun + "' }.id");
                    return ids.isEmpty() ? null : ids.get(0);
                }, java.util.Objects::nonNull);
    }
}
