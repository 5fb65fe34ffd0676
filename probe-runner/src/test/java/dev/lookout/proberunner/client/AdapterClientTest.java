package dev.lookout.proberunner.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** vLLM's answers to /v1/load_lora_adapter and /v1/unload_lora_adapter, as the runner reads them. */
class AdapterClientTest {

    private static Buffer error(String message, String type, int code) {
        return Buffer.buffer("{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type
                + "\",\"param\":null,\"code\":" + code + "}}");
    }

    @Test
    void aSuccessSentenceIsLoaded() {
        AdapterClient.Result r = AdapterClient.loadResult(200,
                Buffer.buffer("Success: LoRA adapter 'a' added successfully."));
        assertTrue(r.done());
        assertFalse(r.already());
    }

    @Test
    void alreadyLoadedCountsAsLoadedInBothErrorShapes() {
        AdapterClient.Result nested = AdapterClient.loadResult(400,
                error("The lora adapter 'a' has already been loaded.", "InvalidUserInput", 400));
        assertTrue(nested.done() && nested.already());
        AdapterClient.Result flat = AdapterClient.loadResult(400, Buffer.buffer("{\"object\":\"error\",\"message\":"
                + "\"The lora adapter 'a' has already been loaded.\",\"type\":\"InvalidUserInput\",\"code\":400}"));
        assertTrue(flat.done() && flat.already());
    }

    @Test
    void aFailureIsDescribedInOurWordsNeverTheServersMessage() {
        AdapterClient.Result missing = AdapterClient.loadResult(404,
                error("Loading lora a failed: No adapter found for /secret/place", "NotFoundError", 404));
        assertFalse(missing.done());
        assertEquals("404 NotFoundError: the model server found no adapter at that path", missing.reason());
        AdapterClient.Result odd = AdapterClient.loadResult(400, error("<script>x</script>", "<b>bad</b>", 400));
        assertEquals("400: the model server refused the adapter", odd.reason());
        AdapterClient.Result html = AdapterClient.loadResult(502, Buffer.buffer("<html>bad gateway</html>"));
        assertEquals("502: the model server answered HTTP 502", html.reason());
        assertEquals("405: the model server has no runtime LoRA loading (vLLM needs VLLM_ALLOW_RUNTIME_LORA_UPDATING"
                + "=True and --enable-lora)",
                AdapterClient.loadResult(405, Buffer.buffer("")).reason());
        assertEquals("404: the model server has no runtime LoRA loading (vLLM needs VLLM_ALLOW_RUNTIME_LORA_UPDATING"
                + "=True and --enable-lora)", AdapterClient.loadResult(404, Buffer.buffer("{\"detail\":\"Not Found\"}"))
                .reason(), "the route is missing (FastAPI's 404), not the adapter");
    }

    @Test
    void unloadingANameNotLoadedCountsAsUnloaded() {
        assertTrue(AdapterClient.unloadResult(200, Buffer.buffer("Success")).done());
        AdapterClient.Result gone = AdapterClient.unloadResult(404,
                error("The lora adapter 'a' cannot be found.", "NotFoundError", 404));
        assertTrue(gone.done() && gone.already());
        AdapterClient.Result down = AdapterClient.unloadResult(500, Buffer.buffer("{}"));
        assertFalse(down.done());
        assertEquals("500: the model server answered HTTP 500", down.reason());
    }
}
