package dev.lookout.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vLLM's runtime LoRA API over HTTP: load, list, answer, unload, and vLLM's errors. */
class LoraAdaptersTest {

    private static final String CHAT = "/v1/chat/completions";
    private static SimulatorServer server;
    private static SimClient client;

    @BeforeAll
    static void start() {
        server = SimulatorServer.start(SimulatorConfig.defaults().withPort(0));
        client = new SimClient(server.port(), 8);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static String load(String name, String path) {
        return "{\"lora_name\":\"" + name + "\",\"lora_path\":\"" + path + "\"}";
    }

    private static List<String> modelIds() {
        List<String> ids = new ArrayList<>();
        client.get("/v1/models").json().path("data").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    @Test
    void loadsListsAnswersAndUnloadsLikeVllm() {
        String name = "sft-" + UUID.randomUUID().toString().substring(0, 8) + "-400";
        SimClient.Reply loaded = client.post("/v1/load_lora_adapter", load(name, "/out/sft/checkpoint-400"));
        assertEquals(200, loaded.status());
        assertEquals("Success: LoRA adapter '" + name + "' added successfully.", loaded.body());

        JsonNode card = null;
        for (JsonNode m : client.get("/v1/models").json().path("data")) {
            if (name.equals(m.path("id").asText())) {
                card = m;
            }
        }
        assertTrue(card != null, "the adapter is listed: " + modelIds());
        assertEquals("/out/sft/checkpoint-400", card.path("root").asText());
        assertEquals("demo-base", card.path("parent").asText());
        assertEquals("model", card.path("object").asText());

        String prompt = Prompts.EN.get(0);
        SimClient.Reply answer = client.post(CHAT, SimClient.chat(name, prompt));
        assertEquals(name, answer.json().path("model").asText());
        assertEquals(client.post(CHAT, SimClient.chat("demo-ckpt-400", prompt)).content(), answer.content(),
                "a checkpoint-400 adapter answers like demo-ckpt-400");

        SimClient.Reply unloaded = client.post("/v1/unload_lora_adapter", "{\"lora_name\":\"" + name + "\"}");
        assertEquals(200, unloaded.status());
        assertEquals("Success: LoRA adapter '" + name + "' removed successfully.", unloaded.body());
        assertTrue(!modelIds().contains(name), "no longer listed");
        SimClient.Reply gone = client.post(CHAT, SimClient.chat(name, prompt));
        assertEquals(404, gone.status());
        assertEquals("model_not_found", gone.json().path("error").path("code").asText());

        List<SimulatorServer.LoraAdapterEvent> seen = server.adapterEvents().stream()
                .filter(e -> name.equals(e.name())).toList();
        assertEquals(List.of(new SimulatorServer.LoraAdapterEvent("load", name, "/out/sft/checkpoint-400", 200),
                new SimulatorServer.LoraAdapterEvent("unload", name, null, 200)), seen);
    }

    @Test
    void refusesASecondLoadOfTheSameNameAsVllmDoes() {
        String name = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(200, client.post("/v1/load_lora_adapter", load(name, "/out/a")).status());
        SimClient.Reply again = client.post("/v1/load_lora_adapter", load(name, "/out/a"));
        assertEquals(400, again.status());
        JsonNode error = again.json().path("error");
        assertEquals("The lora adapter '" + name + "' has already been loaded.", error.path("message").asText());
        assertEquals("InvalidUserInput", error.path("type").asText());
        assertEquals(400, error.path("code").asInt());
        assertTrue(error.has("param") && error.path("param").isNull());
    }

    @Test
    void answersNotFoundForAPathThatDoesNotExistAndForUnloadingAnUnknownName() {
        String name = "nope-" + UUID.randomUUID().toString().substring(0, 8);
        SimClient.Reply missing = client.post("/v1/load_lora_adapter", load(name, "/out/missing/checkpoint-5"));
        assertEquals(404, missing.status());
        assertEquals("NotFoundError", missing.json().path("error").path("type").asText());
        assertEquals("Loading lora " + name + " failed: No adapter found for /out/missing/checkpoint-5",
                missing.json().path("error").path("message").asText());
        assertTrue(!modelIds().contains(name));

        SimClient.Reply unknown = client.post("/v1/unload_lora_adapter", "{\"lora_name\":\"" + name + "\"}");
        assertEquals(404, unknown.status());
        assertEquals("The lora adapter '" + name + "' cannot be found.",
                unknown.json().path("error").path("message").asText());
    }

    @Test
    void refusesALoadWithoutNameOrPath() {
        SimClient.Reply bad = client.post("/v1/load_lora_adapter", "{\"lora_name\":\"x\"}");
        assertEquals(400, bad.status());
        assertEquals("Both 'lora_name' and 'lora_path' must be provided.",
                bad.json().path("error").path("message").asText());
        assertEquals(405, client.get("/v1/load_lora_adapter").status());
    }
}
