package dev.lookout.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vLLM's runtime LoRA API ({@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}): {@code POST /v1/load_lora_adapter}
 * {@code {"lora_name", "lora_path"}} and {@code POST /v1/unload_lora_adapter} {@code {"lora_name"}}, with vLLM's
 * answers: 200 and a plain-text "Success: …" sentence, or {@code {"error": {"message", "type", "param", "code"}}}
 * with vLLM's error types. A path containing {@code missing} does not exist (404 {@code NotFoundError}); a name
 * loaded already is refused (400 {@code InvalidUserInput}, "has already been loaded"). A loaded adapter is listed by
 * {@code /v1/models} ({@code root} = its path, {@code parent} = demo-base) and answers chat completions under its
 * name like {@code demo-ckpt-<N>}, N read from a {@code checkpoint-<N>} in its path (else like demo-base).
 * Thread-safe: the handlers run on the event loop, tests read {@link #events()} from theirs.
 */
final class LoraAdapters {

    /** One load or unload as the server saw it, answered with {@code status}. */
    public record Event(String op, String name, String path, int status) {
    }

    record Loaded(String name, String path, long created) {
    }

    static final String PARENT = "demo-base";
    private static final Pattern STEP = Pattern.compile("checkpoint-(\\d{1,9})(?![0-9])");

    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();

    void load(HttpServerRequest request) {
        request.body().onSuccess(body -> answer(request.response(), loadFrom(body)));
    }

    void unload(HttpServerRequest request) {
        request.body().onSuccess(body -> answer(request.response(), unloadFrom(body)));
    }

    /** What a load or unload answered: a success sentence (200) or vLLM's error. */
    record Answer(int status, String type, String message) {
    }

    synchronized Answer loadFrom(Buffer body) {
        String name = field(body, "lora_name");
        String path = field(body, "lora_path");
        Answer answer;
        if (name == null || path == null) {
            answer = new Answer(400, "InvalidUserInput", "Both 'lora_name' and 'lora_path' must be provided.");
        } else if (loaded.containsKey(name)) {
            answer = new Answer(400, "InvalidUserInput", "The lora adapter '" + name + "' has already been loaded.");
        } else if (path.toLowerCase(Locale.ROOT).contains("missing")) {
            answer = new Answer(404, "NotFoundError", "Loading lora " + name + " failed: No adapter found for "
                    + path);
        } else {
            loaded.put(name, new Loaded(name, path, System.currentTimeMillis() / 1000));
            answer = new Answer(200, null, "Success: LoRA adapter '" + name + "' added successfully.");
        }
        events.add(new Event("load", name, path, answer.status()));
        return answer;
    }

    synchronized Answer unloadFrom(Buffer body) {
        String name = field(body, "lora_name");
        Answer answer;
        if (name == null) {
            answer = new Answer(400, "InvalidUserInput", "either 'lora_name' and 'lora_int_id' needs to be provided.");
        } else if (loaded.remove(name) == null) {
            answer = new Answer(404, "NotFoundError", "The lora adapter '" + name + "' cannot be found.");
        } else {
            answer = new Answer(200, null, "Success: LoRA adapter '" + name + "' removed successfully.");
        }
        events.add(new Event("unload", name, null, answer.status()));
        return answer;
    }

    /** The model a loaded adapter answers as, if {@code name} is one. */
    synchronized Optional<ModelSpec> spec(String name) {
        Loaded a = loaded.get(name);
        if (a == null) {
            return Optional.empty();
        }
        Matcher m = STEP.matcher(a.path());
        int step = 0;
        while (m.find()) {
            step = Integer.parseInt(m.group(1));
        }
        return Optional.of(new ModelSpec(step, false));
    }

    synchronized List<OpenAiShapes.ModelCard> cards() {
        return loaded.values().stream().map(a -> new OpenAiShapes.ModelCard(a.name(), "model", a.created(),
                "vllm", a.path(), PARENT)).toList();
    }

    /** Every load and unload seen since start (or {@link #clearEvents()}), in order. */
    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized void clearEvents() {
        events.clear();
    }

    private static String field(Buffer body, String name) {
        try {
            JsonNode value = Json.parse(body).get(name);
            return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void answer(HttpServerResponse response, Answer answer) {
        if (answer.status() == 200) {
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end(answer.message());
        } else {
            Http.json(response, answer.status(), Map.of("error", new VllmError(answer.message(), answer.type(),
                    null, answer.status())));
        }
    }

    /** vLLM's {@code ErrorInfo}: the code is the HTTP status as a number. */
    record VllmError(String message, String type, Object param, int code) {
    }
}
