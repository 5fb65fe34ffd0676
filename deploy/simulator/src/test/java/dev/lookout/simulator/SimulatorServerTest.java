package dev.lookout.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorServerTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final SimulatorConfig CONFIG = SimulatorConfig.defaults().withPort(0);

    private static SimulatorServer server;
    private static SimClient client;

    @BeforeAll
    static void start() {
        server = SimulatorServer.start(CONFIG);
        client = new SimClient(server.port(), 64);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        server.config(CONFIG);
        server.resetStats();
    }

    @Test
    void answersLikeVllm() {
        SimClient.Reply reply = client.post(CHAT, SimClient.chat("demo-base", Prompts.EN.get(0)));
        assertEquals(200, reply.status());
        assertEquals("application/json", reply.headers().get("content-type"));
        JsonNode json = reply.json();
        assertTrue(json.path("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", json.path("object").asText());
        assertEquals("demo-base", json.path("model").asText());
        assertTrue(json.path("created").canConvertToLong());
        JsonNode choice = json.path("choices").path(0);
        assertEquals(0, choice.path("index").asInt());
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertTrue(choice.path("message").has("reasoning_content"));
        assertTrue(choice.path("message").path("reasoning_content").isNull());
        assertEquals("stop", choice.path("finish_reason").asText());
        JsonNode usage = json.path("usage");
        assertEquals(Tokens.count(reply.content()), usage.path("completion_tokens").asInt());
        assertEquals(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(),
                usage.path("total_tokens").asInt());
        assertEquals(1, server.stats().requests());
    }

    @Test
    void answersAreDeterministicOverHttpAndNoAdapterEqualsBase() {
        for (String prompt : Prompts.SUITE) {
            String base = client.post(CHAT, SimClient.chat("demo-base", prompt)).content();
            assertEquals(base, client.post(CHAT, SimClient.chat("demo-base", prompt)).content());
            assertEquals(base, client.post(CHAT, SimClient.chat("demo-noadapter", prompt)).content());
            ObjectNode seeded = SimClient.chat("demo-noadapter", prompt).put("seed", 99).put("temperature", 0);
            assertEquals(base, client.post(CHAT, seeded).content(), "seed is ignored at temperature 0");
        }
    }

    @Test
    void seedChangesWordingWhenSampling() {
        List<String> answers = new ArrayList<>();
        for (int seed = 1; seed <= 5; seed++) {
            ObjectNode body = SimClient.chat("demo-base", Prompts.EN.get(1)).put("temperature", 0.8).put("seed", seed);
            answers.add(client.post(CHAT, body).content());
        }
        assertTrue(answers.stream().distinct().count() > 1, answers.toString());
        ObjectNode again = SimClient.chat("demo-base", Prompts.EN.get(1)).put("temperature", 0.8).put("seed", 1);
        assertEquals(answers.get(0), client.post(CHAT, again).content());
    }

    @Test
    void streamReassemblesToTheNonStreamAnswer() {
        for (String model : List.of("demo-ckpt-600", "demo-ckpt-400-think")) {
            for (String prompt : List.of(Prompts.EN.get(2), Prompts.ZH.get(0))) {
                SimClient.Reply plain = client.post(CHAT, SimClient.chat(model, prompt));
                ObjectNode body = SimClient.chat(model, prompt).put("stream", true);
                body.putObject("stream_options").put("include_usage", true);
                SimClient.Reply streamed = client.post(CHAT, body);
                assertEquals(200, streamed.status());
                assertTrue(streamed.headers().get("content-type").startsWith("text/event-stream"));

                List<JsonNode> chunks = sseChunks(streamed.body());
                JsonNode first = chunks.get(0).path("choices").path(0);
                assertEquals("assistant", first.path("delta").path("role").asText());
                StringBuilder content = new StringBuilder();
                StringBuilder reasoning = new StringBuilder();
                String finish = null;
                JsonNode usage = null;
                for (JsonNode chunk : chunks) {
                    assertEquals("chat.completion.chunk", chunk.path("object").asText());
                    assertEquals(chunks.get(0).path("id"), chunk.path("id"));
                    if (chunk.has("usage")) {
                        usage = chunk.path("usage");
                        assertTrue(chunk.path("choices").isEmpty());
                        continue;
                    }
                    JsonNode choice = chunk.path("choices").path(0);
                    content.append(choice.path("delta").path("content").asText(""));
                    reasoning.append(choice.path("delta").path("reasoning_content").asText(""));
                    if (!choice.path("finish_reason").isNull()) {
                        finish = choice.path("finish_reason").asText();
                    }
                }
                JsonNode message = plain.json().path("choices").path(0).path("message");
                assertTrue(chunks.size() > 5, "several content chunks");
                assertEquals(message.path("content").asText(), content.toString());
                assertEquals(message.path("reasoning_content").asText(""), reasoning.toString());
                assertEquals(model.endsWith("-think"), reasoning.length() > 0);
                assertEquals("stop", finish);
                assertEquals(plain.json().path("usage"), usage);
            }
        }
    }

    @Test
    void maxTokensTruncatesWithFinishReasonLength() {
        ObjectNode en = SimClient.chat("demo-base", Prompts.EN.get(0)).put("max_tokens", 5);
        SimClient.Reply reply = client.post(CHAT, en);
        assertEquals("length", reply.json().path("choices").path(0).path("finish_reason").asText());
        assertEquals(5, Tokens.count(reply.content()));
        assertEquals(5, reply.json().path("usage").path("completion_tokens").asInt());
        String full = client.post(CHAT, SimClient.chat("demo-base", Prompts.EN.get(0))).content();
        assertTrue(full.startsWith(reply.content()));

        ObjectNode zh = SimClient.chat("demo-base", Prompts.ZH.get(0)).put("max_tokens", 2).put("stream", true);
        String streamed = String.join("", sseChunks(client.post(CHAT, zh).body()).stream()
                .map(c -> c.path("choices").path(0).path("delta").path("content").asText("")).toList());
        assertEquals(2, streamed.length());
        assertTrue(streamed.chars().allMatch(Tokens::isCjk), streamed);
    }

    @Test
    void echoMarkerAnswersTheUserMessageVerbatim() {
        String planted = "<<echo>> <script>alert('x')</script> & \"quotes\"";
        assertEquals(planted, client.post(CHAT, SimClient.chat("demo-ckpt-600", planted)).content());
    }

    @Test
    void rateLimitedRequestsCarryRetryAfter() {
        SimClient.Reply forced = client.post(CHAT, SimClient.chat("demo-base", "hi"), Map.of("X-Sim-Fail", "429"));
        assertEquals(429, forced.status());
        assertEquals("1", forced.headers().get("Retry-After"));
        assertEquals("rate_limit_exceeded", forced.json().path("error").path("code").asText());

        server.config(CONFIG.withFailureRates(1.0, 0, 0).withRetryAfterSeconds(7));
        SimClient.Reply random = client.post(CHAT, SimClient.chat("demo-base", "hi"));
        assertEquals(429, random.status());
        assertEquals("7", random.headers().get("Retry-After"));
        assertEquals(2, server.stats().rejected429());
    }

    @Test
    void failureRatesAreReproducibleFromTheSeed() {
        server.config(CONFIG.withFailureRates(0.2, 0.2, 0).withSeed(123));
        List<Integer> first = statuses(40);
        server.config(CONFIG.withFailureRates(0.2, 0.2, 0).withSeed(123));
        assertEquals(first, statuses(40));
        assertTrue(first.contains(200) && first.contains(429) && first.contains(500), first.toString());
        assertEquals(first.stream().filter(s -> s == 500).count(), server.stats().errors500() / 2);
    }

    @Test
    void forcedServerErrorAndBadFailHeader() {
        SimClient.Reply failed = client.post(CHAT, SimClient.chat("demo-base", "hi"), Map.of("X-Sim-Fail", "500"));
        assertEquals(500, failed.status());
        assertEquals("server_error", failed.json().path("error").path("type").asText());
        assertEquals(1, server.stats().errors500());
        assertEquals(400, client.post(CHAT, SimClient.chat("demo-base", "hi"), Map.of("X-Sim-Fail", "teapot")).status());
    }

    @Test
    void hangingRequestStaysInFlightUntilTheClientGivesUp() {
        Future<SimClient.Reply> hanging = client.send(HttpMethod.POST, CHAT,
                SimClient.chat("demo-base", "hi").toString(), Map.of("X-Sim-Fail", "hang"), 300);
        await().atMost(Duration.ofSeconds(5)).until(() -> hanging.failed());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().inFlight() == 0);
        assertEquals(1, server.stats().hangs());
        assertEquals(1, server.stats().maxInFlight());
    }

    @Test
    void malformedJsonIs400InOpenAiShape() {
        SimClient.Reply reply = client.post(CHAT, "{\"model\": \"demo-base\", \"messages\": [");
        assertEquals(400, reply.status());
        JsonNode error = reply.json().path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertTrue(error.path("message").asText().startsWith("malformed JSON"));
        assertTrue(error.has("code"));
        assertEquals(400, client.post(CHAT, "{\"model\": \"demo-base\"}").status());
        assertEquals(400, client.post(CHAT, SimClient.chat("demo-base", "x").put("max_tokens", 0)).status());
    }

    @Test
    void unknownModelIs404AndUnknownFieldsAreIgnored() {
        SimClient.Reply missing = client.post(CHAT, SimClient.chat("gpt-4o", "hi"));
        assertEquals(404, missing.status());
        assertEquals("model_not_found", missing.json().path("error").path("code").asText());
        ObjectNode extra = SimClient.chat("demo-ckpt-1234", "hi").put("top_p", 0.9).put("frobnicate", true);
        extra.putObject("chat_template_kwargs").put("enable_thinking", false);
        assertEquals(200, client.post(CHAT, extra).status());
    }

    @Test
    void listsModels() {
        JsonNode list = client.get("/v1/models").json();
        assertEquals("list", list.path("object").asText());
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(card -> {
            assertEquals("model", card.path("object").asText());
            assertTrue(card.has("created") && card.has("owned_by"));
            ids.add(card.path("id").asText());
        });
        assertEquals(ModelSpec.LISTED, ids);
    }

    @Test
    void reportsAWeightsIdentityThatChangesOnlyWithTheModelsRevision() {
        String before = client.post(CHAT, SimClient.chat("demo-ckpt-400", "hi")).json().path("system_fingerprint")
                .asText();
        assertTrue(before.matches("fp_[0-9a-f]{10}"), before);
        assertEquals(before, client.post(CHAT, SimClient.chat("demo-ckpt-400-think", "hello")).json()
                .path("system_fingerprint").asText(), "stable per model, the -think variant included");
        String base = client.post(CHAT, SimClient.chat("demo-base", "hi")).json().path("system_fingerprint").asText();
        assertNotEquals(before, base);
        assertEquals(List.of("/models/demo-base", "/models/demo-ckpt-200", "/models/demo-ckpt-400",
                "/models/demo-ckpt-600", "/models/demo-noadapter"), roots());

        assertEquals(200, client.put("/admin/config", "{\"weightsRevisions\": \"demo-ckpt-400:2\"}").status());
        assertEquals("/models/demo-ckpt-400/revision-2", roots().get(2));
        assertEquals("/models/demo-base", roots().get(0), "other models keep their weights");
        String after = client.post(CHAT, SimClient.chat("demo-ckpt-400", "hi")).json().path("system_fingerprint")
                .asText();
        assertNotEquals(before, after);
        assertEquals(base, client.post(CHAT, SimClient.chat("demo-base", "hi")).json().path("system_fingerprint")
                .asText());
        String stream = client.post(CHAT, SimClient.chat("demo-ckpt-400", "hi").put("stream", true)).body();
        assertTrue(stream.contains("\"system_fingerprint\":\"" + after + "\""), stream);
        assertEquals(400, client.put("/admin/config", "{\"weightsRevisions\": \"demo-ckpt-400\"}").status());
        assertEquals(400, client.put("/admin/config", "{\"weightsRevisions\": \"demo-base:-1\"}").status());
    }

    private static List<String> roots() {
        List<String> roots = new ArrayList<>();
        client.get("/v1/models").json().path("data").forEach(card -> roots.add(card.path("root").asText()));
        return roots;
    }

    @Test
    void adminEndpointsShowAndChangeKnobs() {
        client.post(CHAT, SimClient.chat("demo-base", "hi"));
        JsonNode stats = client.get("/admin/stats").json();
        assertEquals(1, stats.path("requests").asLong());
        for (String field : List.of("inFlight", "maxInFlight", "rejected429", "errors500", "hangs")) {
            assertTrue(stats.has(field), field);
        }
        assertEquals(0, client.post("/admin/stats/reset", "").json().path("requests").asLong());

        JsonNode changed = client.put("/admin/config", "{\"latencyMs\": 3, \"maxConcurrent\": 2, \"port\": 1}").json();
        assertEquals(3, changed.path("latencyMs").asLong());
        assertEquals(server.port(), changed.path("port").asInt(), "port only applies at start");
        assertEquals(2, server.config().maxConcurrent());
        assertEquals(changed, client.get("/admin/config").json());
        assertEquals(400, client.put("/admin/config", "{\"rate429\": 2}").status());
        assertEquals(400, client.put("/admin/config", "{\"noSuchKnob\": 1}").status());
        assertFalse(client.put("/admin/config", "{\"noSuchKnob\": 1}").body().contains("dev.lookout"));
        assertEquals(2, server.config().maxConcurrent());
        assertEquals(0, server.stats().requests(), "admin calls are not counted");
        assertEquals(404, client.get("/nope").status());
        assertEquals(405, client.get(CHAT).status());
    }

    @Test
    void checkpointsDriftOverHttp() {
        long changed = Prompts.SUITE.stream().filter(p -> !client.post(CHAT, SimClient.chat("demo-ckpt-600", p))
                .content().equals(client.post(CHAT, SimClient.chat("demo-base", p)).content())).count();
        assertNotEquals(0, changed);
        assertTrue(changed < Prompts.SUITE.size());
    }

    private List<Integer> statuses(int count) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(client.post(CHAT, SimClient.chat("demo-base", "hi " + i)).status());
        }
        return statuses;
    }

    /** Parses an SSE body strictly: only {@code data:} frames separated by blank lines, ending with [DONE]. */
    private static List<JsonNode> sseChunks(String body) {
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        List<JsonNode> chunks = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            assertTrue(frame.startsWith("data: "), frame);
            String data = frame.substring("data: ".length());
            if (!data.equals("[DONE]")) {
                chunks.add(Json.parse(Buffer.buffer(data)));
            }
        }
        return chunks;
    }
}
