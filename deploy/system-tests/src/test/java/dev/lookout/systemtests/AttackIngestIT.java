package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;

/**
 * Attempts to exhaust ingest-service through the gateway with a training job's real token: oversized labels, an
 * over-long log line, and an upload whose body stalls (ingest-service runs with a 5 s body idle timeout here).
 */
@ExtendWith(SystemExtension.class)
class AttackIngestIT {

    static String job;
    static String endpoint;

    @BeforeAll
    static void aTrainingJob() {
        job = Api.trainingJobToken();
        endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
    }

    static Map<String, Object> runWithLabels(String name, Map<String, Object> labels) {
        Map<String, Object> body = new HashMap<>(Map.of("project", Seed.PROJECT, "name", name,
                "baseline", Map.of("endpoint", endpoint, "model", "demo-base")));
        body.put("labels", labels);
        return body;
    }

    @Test
    void labelsOverTheLimitsAre422NamingTheLabelAndCreateNothing() {
        String name = Seed.unique("labels");
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("k" + i, "v");
        }
        Api.gateway(job).body(runWithLabels(name, many)).when().post("/api/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("labels")).body("detail", containsString("32"));
        Api.gateway(job).body(runWithLabels(name, Map.of("method", "sft", "blob", "x".repeat(256 * 1024))))
                .when().post("/api/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors", hasSize(1)).body("errors[0].field", equalTo("labels.blob"))
                .body("detail", containsString("label blob"));
        Api.gateway(job).when().get("/api/runs?project=demo&limit=1000").then().statusCode(200)
                .body("name", not(hasItem(name)));
    }

    @Test
    void anOverLongLogLineIs422NamingTheLineAndStoresNothing() {
        String run = Seed.run(job, Seed.unique("long-line"), endpoint, null);
        String body = "{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"loss\": 2.4}\n{\"step\": 3, \"note\": \""
                + "x".repeat(1100 * 1024) + "\"}\n{\"step\": 4, \"loss\": 2.3}\n";
        Api.gateway(job).contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/runs/" + run + "/logs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].line", equalTo(3)).body("detail", containsString("line 3"));
        Api.gateway(job).when().get("/api/runs/" + run + "/series").then().statusCode(200).body("series", hasSize(0));
    }

    @Test
    void aStalledUploadIsCutAndTheRunTakesMetricsAgain() throws IOException {
        String run = Seed.run(job, Seed.unique("stalled"), endpoint, null);
        StringBuilder head = new StringBuilder();
        for (int step = 1; step <= 3000; step++) { // ~100 KB: well past what the REST layers buffer before reading
            head.append("{\"step\": ").append(step).append(", \"loss\": ").append(3.0 - step / 10_000.0).append("}\n");
        }
        try (Socket s = new Socket("127.0.0.1", Ports.GATEWAY)) {
            s.setSoTimeout(60_000); // a failure bound only
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/runs/" + run + "/logs?format=jsonl HTTP/1.1\r\nHost: 127.0.0.1:" + Ports.GATEWAY
                    + "\r\nAuthorization: Bearer " + job + "\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: 5000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            // ... and then nothing more: the upload must be cut, answered (408/5xx) or closed
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> firstBytesOrClose(s));
            await().atMost(Duration.ofSeconds(90)).until(answer::isDone);
            String got = answer.join();
            assertTrue(got.isEmpty() || got.startsWith("HTTP/1.1 4") || got.startsWith("HTTP/1.1 5") || got.startsWith("["),
                    "the stalled upload is cut; got: " + got);
        }
        // the transaction was rolled back and the run's row lock released: a metrics batch goes through at once
        RestAssuredConfig bounded = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 30_000));
        Api.gateway(job).config(bounded)
                .body(Map.of("points", List.of(Map.of("name", "train/loss", "step", 1, "value", 2.0))))
                .when().post("/api/runs/" + run + "/metrics")
                .then().statusCode(200).body("stored", equalTo(1));
        Api.gateway(job).when().get("/api/runs/" + run + "/series").then().statusCode(200)
                .body("series", hasSize(1)).body("series[0].count", equalTo(1));
        Api.gateway(job).contentType(ContentType.JSON).when().get("/api/runs/" + run).then().statusCode(200);
    }

    /** The start of whatever the gateway answers, or "" when it closes without answering, or "[reset]". */
    private static String firstBytesOrClose(Socket s) {
        try {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            int n = in.read(buf);
            if (n > 0) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stalled upload was neither answered nor closed", e);
        } catch (IOException e) {
            return "[" + e.getMessage() + "]";
        }
    }
}
