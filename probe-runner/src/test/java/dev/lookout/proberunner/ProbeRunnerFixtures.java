package dev.lookout.proberunner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

/** Tokens, endpoints, suites and probe runs for probe-runner tests. */
public final class ProbeRunnerFixtures {

    public static final String PROJECT = "demo";

    private ProbeRunnerFixtures() {
    }

    /** A real token signed with the test OIDC server's key (quarkus-test-oidc-server). */
    public static String token(String user, List<String> roles, String... projects) {
        Set<String> groups = new java.util.HashSet<>();
        for (String p : projects) {
            groups.add("/projects/" + p);
        }
        return Jwt.preferredUserName(user).claim("realm_access", Map.of("roles", roles)).groups(groups)
                .issuer("https://server.example.com").audience("https://service.example.com").expiresIn(600)
                .jws().keyId("1").sign("privateKey.jwk");
    }

    public static String engineer() {
        return token("eve", List.of("engineer"), PROJECT);
    }

    public static String viewer() {
        return token("vic", List.of("viewer"), PROJECT);
    }

    public static String otherProjectEngineer() {
        return token("otto", List.of("engineer", "reviewer"), "other");
    }

    public static String serviceAccount() {
        return token("service-account-review-service", List.of("service"));
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static JsonPath createEndpoint(String name, String baseUrl, int maxConcurrency) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", PROJECT);
        body.put("name", name);
        body.put("baseUrl", baseUrl);
        body.put("maxConcurrency", maxConcurrency);
        body.put("timeoutMs", 5000);
        body.put("params", Map.of("max_tokens", 128, "seed", 7));
        return as(engineer()).body(body).post("/api/endpoints").then().statusCode(201).extract().jsonPath();
    }

    public static List<Map<String, Object>> probes(int count, String salt) {
        String[] questions = {
            "How do I reset my password?",
            "我的订单什么时候发货？",
            "Can I return a product after 30 days?",
            "请帮我写一封道歉邮件。",
            "What is the capital of Australia?",
            "Summarise the refund policy in one sentence.",
            "为什么我的账户被冻结了？",
            "Give me three tips for writing clear commit messages.",
            "How long does shipping to Canada take?",
            "退款多久能到账？"
        };
        List<Map<String, Object>> probes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String q = questions[i % questions.length] + (i >= questions.length || !salt.isEmpty() ? " (" + salt + i + ")" : "");
            probes.add(Map.of("id", "p" + i, "tags", List.of(i % 2 == 0 ? "facts" : "caution"),
                    "messages", List.of(Map.of("role", "system", "content", "You are a helpful support agent."),
                            Map.of("role", "user", "content", q))));
        }
        return probes;
    }

    public static JsonPath createSuite(String name, List<Map<String, Object>> probes) {
        return as(engineer()).body(Map.of("project", PROJECT, "name", name, "probes", probes)).post("/api/suites")
                .then().statusCode(anyOf(is(201), is(200))).extract().jsonPath();
    }

    public static String startRun(String suite, List<Map<String, Object>> targets) {
        return as(engineer()).body(Map.of("project", PROJECT, "suite", suite, "targets", targets))
                .post("/api/probe-runs").then().statusCode(202).extract().path("id");
    }

    public static Map<String, Object> target(String endpoint, String model, String label) {
        return Map.of("endpoint", endpoint, "model", model, "label", label);
    }

    public static JsonPath awaitStatus(String probeRunId, String status, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(
                as(engineer()).get("/api/probe-runs/" + probeRunId).then().statusCode(200).extract().path("status")));
        return as(engineer()).get("/api/probe-runs/" + probeRunId).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the probe run is completed, polling with {@code token}. */
    public static JsonPath awaitCompletedAs(String token, String probeRunId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "completed"
                .equals(as(token).get("/api/probe-runs/" + probeRunId).then().statusCode(200).extract().path("status")));
        return as(token).get("/api/probe-runs/" + probeRunId).then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath awaitCompleted(String probeRunId) {
        return awaitStatus(probeRunId, "completed", Duration.ofSeconds(60));
    }

    /** A raw AMQP connection to the real local broker (tests assert on exchanges and queues with it). */
    public static Connection amqp() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        return f.newConnection("probe-runner-tests");
    }

    public static long queueDepth(Channel channel, String queue) throws Exception {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }
}
