package dev.lookout.simulator;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What identifies the weights behind a model name, as vLLM reports it: the {@code root} of a {@code /v1/models}
 * entry (the path the weights or adapter were loaded from) and the {@code system_fingerprint} of a completion. Both
 * are stable per model (the {@code -think} suffix serves the same weights) and change when the knob
 * {@code weightsRevisions} gives the model another revision: "the same name now serves other weights".
 */
final class Weights {

    private static final String THINK = "-think";

    private Weights() {
    }

    /** {@code /models/demo-ckpt-400} at revision 0, {@code /models/demo-ckpt-400/revision-2} at revision 2. */
    static String root(String model, SimulatorConfig config) {
        String name = weightsName(model);
        int revision = parseRevisions(config.weightsRevisions()).getOrDefault(name, 0);
        return "/models/" + name + (revision == 0 ? "" : "/revision-" + revision);
    }

    /** {@code fp_} and 10 hex digits derived from {@link #root}. */
    static String fingerprint(String model, SimulatorConfig config) {
        return String.format(Locale.ROOT, "fp_%010x", Hashing.hash("weights", root(model, config)) & 0xffffffffffL);
    }

    private static String weightsName(String model) {
        return model.endsWith(THINK) ? model.substring(0, model.length() - THINK.length()) : model;
    }

    /** {@code "demo-ckpt-400:2,demo-base:1"} → {demo-ckpt-400=2, demo-base=1}; "" → {}; anything else → IAE. */
    static Map<String, Integer> parseRevisions(String spec) {
        Map<String, Integer> revisions = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return revisions;
        }
        for (String entry : spec.split(",")) {
            int colon = entry.lastIndexOf(':');
            String name = colon <= 0 ? "" : entry.substring(0, colon).strip();
            int revision;
            try {
                revision = colon <= 0 ? -1 : Integer.parseInt(entry.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                revision = -1;
            }
            if (name.isEmpty() || revision < 0) {
                throw new IllegalArgumentException(
                        "weightsRevisions must be model:revision[,model:revision…] with revisions >= 0, got: " + spec);
            }
            revisions.put(weightsName(name), revision);
        }
        return revisions;
    }
}
