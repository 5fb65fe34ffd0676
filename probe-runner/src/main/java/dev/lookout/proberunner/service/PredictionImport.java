package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.proberunner.domain.Message;
import dev.lookout.proberunner.domain.Probe;

/**
 * LLaMA-Factory {@code generated_predictions.jsonl} ({@code {prompt, predict, label}} a line) matched to the probes
 * of a suite version (pure). A line with {@code id} (or {@code probeId}) names its probe; otherwise its probe is
 * the one whose last user message appears in the line's {@code prompt} (the prompt is the rendered chat template,
 * so containment rather than equality), the longest such message winning. A line that matches no probe, or a
 * probe matched twice, is refused with the line number.
 */
public final class PredictionImport {

    public record Prediction(int line, String probeId, String predict) {
    }

    private PredictionImport() {
    }

    public static List<Prediction> match(ObjectMapper json, String body, List<Probe> probes) {
        if (body == null || body.isBlank()) {
            throw new BadInputException(400, "The body is empty", List.of());
        }
        Map<String, Probe> byId = new LinkedHashMap<>();
        probes.forEach(p -> byId.put(p.id(), p));
        Map<String, Integer> taken = new LinkedHashMap<>();
        List<Prediction> out = new ArrayList<>();
        String[] lines = body.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            Map<?, ?> obj;
            try {
                Object read = json.readValue(lines[i], Object.class);
                if (!(read instanceof Map<?, ?> m)) {
                    throw problem(n, "must be a JSON object");
                }
                obj = m;
            } catch (JsonProcessingException e) {
                throw problem(n, "not JSON: " + e.getOriginalMessage());
            }
            if (!(obj.get("predict") instanceof String predict)) {
                throw problem(n, "needs \"predict\" (a string)");
            }
            Object explicit = obj.get("id") != null ? obj.get("id") : obj.get("probeId");
            String probeId;
            if (explicit != null) {
                probeId = String.valueOf(explicit);
                if (!byId.containsKey(probeId)) {
                    throw problem(n, "no probe '" + probeId + "' in the suite");
                }
            } else if (obj.get("prompt") instanceof String prompt) {
                probeId = bestMatch(prompt, probes);
                if (probeId == null) {
                    throw problem(n, "its prompt contains no probe's last user message");
                }
            } else {
                throw problem(n, "needs \"prompt\" or \"id\"");
            }
            Integer earlier = taken.putIfAbsent(probeId, n);
            if (earlier != null) {
                throw problem(n, "probe '" + probeId + "' already has the prediction of line " + earlier);
            }
            out.add(new Prediction(n, probeId, predict));
        }
        if (out.isEmpty()) {
            throw new BadInputException(400, "No predictions in the body", List.of());
        }
        return out;
    }

    private static String bestMatch(String prompt, List<Probe> probes) {
        String best = null;
        int bestLength = 0;
        for (Probe p : probes) {
            String last = lastUser(p);
            if (last != null && !last.isBlank() && prompt.contains(last.strip()) && last.strip().length() > bestLength) {
                best = p.id();
                bestLength = last.strip().length();
            }
        }
        return best;
    }

    private static String lastUser(Probe p) {
        String last = null;
        for (Message m : p.messages()) {
            if ("user".equals(m.role())) {
                last = m.content();
            }
        }
        return last;
    }

    private static BadInputException problem(int line, String message) {
        return new BadInputException(422, "line " + line + ": " + message,
                List.of(new BadInputException.Problem("line " + line, message)));
    }
}
