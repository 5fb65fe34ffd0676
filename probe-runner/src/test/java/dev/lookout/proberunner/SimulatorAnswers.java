package dev.lookout.proberunner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.lookout.simulator.SimulatorConfig;
import dev.lookout.simulator.SimulatorServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Answers of the in-process simulator for plain unit tests (no Quarkus): one blocking HTTP call per prompt. */
public final class SimulatorAnswers implements AutoCloseable {

    private final SimulatorServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    public SimulatorAnswers() {
        this.server = SimulatorServer.start(SimulatorConfig.defaults().withPort(0));
    }

    /** Support questions in English and Chinese, each one different (the simulator's drift is per prompt). */
    public static List<String> prompts(int perLanguage) {
        List<String> prompts = new ArrayList<>();
        IntStream.range(0, perLanguage).forEach(i -> {
            prompts.add("Where is my order #" + (4000 + i) + "? It has not arrived yet.");
            prompts.add("我的订单" + (4000 + i) + "还没有到，请问在哪里？");
        });
        return prompts;
    }

    public String answer(String model, String prompt) {
        JsonObject body = new JsonObject().put("model", model).put("temperature", 0).put("messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + "/v1/chat/completions")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new JsonObject(resp.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                    .getString("content");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<String> answers(String model, List<String> prompts) {
        return prompts.stream().map(p -> answer(model, p)).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
