package dev.lookout.proberunner.client;

import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.client.EndpointAllowlist.Refused;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * vLLM's runtime LoRA API ({@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True} on the server): {@code POST
 * /v1/load_lora_adapter} {@code {"lora_name", "lora_path"}} and {@code POST /v1/unload_lora_adapter}
 * {@code {"lora_name"}}. Every call goes through {@link ModelClient}'s exchange: allowlist checked again, one pinned
 * address, the endpoint's API key, a hard deadline and a byte cap. vLLM answers 200 with a plain-text sentence, or
 * {@code {"error": {"message", "type", "code"}}} (older versions: the same fields at the top level); a load of a
 * name loaded already is 400 "has already been loaded", which counts as loaded; an unload of a name not loaded is 404
 * "cannot be found", which counts as unloaded. A failure is described in Lookout's words: the status, vLLM's error
 * type when it is a plain word, and a sentence of ours; the server's message is never echoed.
 */
@ApplicationScoped
public class AdapterClient {

    /** Error answers are short: read at most this much. */
    private static final int CAP = 16_384;
    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");

    /** {@code done}: loaded (or unloaded); {@code already}: it was so before the call; else {@code reason}. */
    public record Result(boolean done, boolean already, Integer status, String reason) {
        static Result ok(boolean already, int status) {
            return new Result(true, already, status, null);
        }

        static Result failed(Integer status, String reason) {
            return new Result(false, false, status, reason);
        }
    }

    private final ModelClient client;

    public AdapterClient(ModelClient client) {
        this.client = client;
    }

    public Uni<Result> load(String baseUrl, String apiKey, long timeoutMs, String name, String path) {
        JsonObject body = new JsonObject().put("lora_name", name).put("lora_path", path);
        return call(baseUrl, apiKey, timeoutMs, "/v1/load_lora_adapter", body)
                .map(reply -> loadResult(reply.status(), reply.body()))
                .onFailure(Refused.class).recoverWithItem(t -> Result.failed(null, t.getMessage()))
                .onFailure().recoverWithItem(t -> Result.failed(null, ModelClient.describe(t, timeoutMs)));
    }

    public Uni<Result> unload(String baseUrl, String apiKey, long timeoutMs, String name) {
        JsonObject body = new JsonObject().put("lora_name", name);
        return call(baseUrl, apiKey, timeoutMs, "/v1/unload_lora_adapter", body)
                .map(reply -> unloadResult(reply.status(), reply.body()))
                .onFailure(Refused.class).recoverWithItem(t -> Result.failed(null, t.getMessage()))
                .onFailure().recoverWithItem(t -> Result.failed(null, ModelClient.describe(t, timeoutMs)));
    }

    private Uni<HttpExchange.Reply> call(String baseUrl, String apiKey, long timeoutMs, String path,
            JsonObject body) {
        Buffer payload = Buffer.buffer(body.encode());
        return client.pin(baseUrl).chain(to -> client.request(to, HttpMethod.POST, path, payload, apiKey,
                "application/json, text/plain", timeoutMs, CAP));
    }

    static Result loadResult(int status, Buffer body) {
        if (status >= 200 && status < 300) {
            return Result.ok(false, status);
        }
        Error error = Error.of(body);
        if (status == 400 && error.message().contains("already been loaded")) {
            return Result.ok(true, status);
        }
        // vLLM answers a missing adapter 404 NotFoundError; without runtime loading the route itself is missing
        boolean noAdapter = status == 404 && ("NotFoundError".equals(error.type())
                || error.message().contains("no adapter found"));
        String sentence = switch (status) {
            case 404, 405 -> noAdapter ? "the model server found no adapter at that path"
                    : "the model server has no runtime LoRA loading (vLLM needs VLLM_ALLOW_RUNTIME_LORA_UPDATING=True"
                            + " and --enable-lora)";
            case 400 -> "the model server refused the adapter";
            case 401, 403 -> "the model server refused the endpoint's API key";
            default -> "the model server answered HTTP " + status;
        };
        return Result.failed(status, describe(status, error, sentence));
    }

    static Result unloadResult(int status, Buffer body) {
        if (status >= 200 && status < 300) {
            return Result.ok(false, status);
        }
        Error error = Error.of(body);
        if (status == 404 && (error.message().contains("cannot be found") || "NotFoundError".equals(error.type()))) {
            return Result.ok(true, status);
        }
        return Result.failed(status, describe(status, error, "the model server answered HTTP " + status));
    }

    /** {@code 404 NotFoundError: the model server found no adapter at that path}. */
    private static String describe(int status, Error error, String sentence) {
        String type = error.type() != null && ERROR_TYPE.matcher(error.type()).matches() ? " " + error.type() : "";
        return status + type + ": " + sentence;
    }

    /** vLLM's error fields, nested under "error" (recent versions) or at the top level (older ones). */
    private record Error(String message, String type) {
        static Error of(Buffer body) {
            try {
                JsonObject json = new JsonObject(body);
                JsonObject e = json.getValue("error") instanceof JsonObject nested ? nested : json;
                Object message = e.getValue("message");
                Object type = e.getValue("type");
                return new Error(message instanceof String m ? m.toLowerCase(Locale.ROOT) : "",
                        type instanceof String t ? t : null);
            } catch (RuntimeException ex) {
                return new Error(body == null ? "" : body.toString().toLowerCase(Locale.ROOT), null);
            }
        }
    }
}
