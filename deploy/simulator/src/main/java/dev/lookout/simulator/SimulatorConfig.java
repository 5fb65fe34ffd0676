package dev.lookout.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The simulator's knobs. Immutable; {@code port} and {@code host} only apply at start, everything else can be
 * changed at runtime ({@link SimulatorServer#config(SimulatorConfig)} or {@code PUT /admin/config}).
 *
 * <p>CLI flags and system properties use the kebab-case form of the field name:
 * {@code latencyMs} ↔ {@code --latency-ms=} ↔ {@code -Dsim.latency-ms=}.
 */
public record SimulatorConfig(
        int port,
        String host,
        long latencyMs,
        long jitterMs,
        double rate429,
        int retryAfterSeconds,
        double rate500,
        double rateHang,
        int maxConcurrent,
        long seed,
        String weightsRevisions,
        String modelFaults) {

    public static final int DEFAULT_PORT = 8090;
    static final String PROPERTY_PREFIX = "sim.";

    public SimulatorConfig {
        require(port >= 0 && port <= 65535, "port must be 0..65535");
        require(host != null && !host.isBlank(), "host must not be blank");
        require(latencyMs >= 0 && jitterMs >= 0, "latencyMs and jitterMs must be >= 0");
        require(isRate(rate429) && isRate(rate500) && isRate(rateHang), "rates must be within 0..1");
        require(rate429 + rate500 + rateHang <= 1.0, "rate429 + rate500 + rateHang must be <= 1");
        require(retryAfterSeconds >= 0, "retryAfterSeconds must be >= 0");
        require(maxConcurrent >= 0, "maxConcurrent must be >= 0 (0 = unlimited)");
        weightsRevisions = weightsRevisions == null ? "" : weightsRevisions.strip();
        Weights.parseRevisions(weightsRevisions);
        modelFaults = modelFaults == null ? "" : modelFaults.strip();
        ModelFaults.parse(modelFaults);
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(DEFAULT_PORT, "127.0.0.1", 0, 0, 0, 1, 0, 0, 0, 42, "", "");
    }

    /** Defaults, overridden by {@code sim.*} system properties, overridden by {@code --name=value} arguments. */
    public static SimulatorConfig fromArgs(String[] args, Properties systemProperties) {
        ObjectNode knobs = Json.MAPPER.valueToTree(defaults());
        systemProperties.stringPropertyNames().stream()
                .filter(name -> name.startsWith(PROPERTY_PREFIX))
                .forEach(name -> knobs.put(camelCase(name.substring(PROPERTY_PREFIX.length())),
                        systemProperties.getProperty(name)));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            knobs.put(camelCase(arg.substring(2, eq)), arg.substring(eq + 1));
        }
        return Json.convert(knobs, SimulatorConfig.class);
    }

    /** This config with the runtime-changeable knobs of {@code changes} (a partial JSON object) applied. */
    SimulatorConfig merge(ObjectNode changes) {
        ObjectNode merged = Json.MAPPER.valueToTree(this);
        merged.setAll(changes);
        SimulatorConfig next = Json.convert(merged, SimulatorConfig.class);
        return next.withEndpoint(port, host);
    }

    SimulatorConfig withEndpoint(int newPort, String newHost) {
        return new SimulatorConfig(newPort, newHost, latencyMs, jitterMs, rate429, retryAfterSeconds, rate500,
                rateHang, maxConcurrent, seed, weightsRevisions, modelFaults);
    }

    public SimulatorConfig withPort(int newPort) {
        return withEndpoint(newPort, host);
    }

    public SimulatorConfig withLatency(long newLatencyMs, long newJitterMs) {
        return new SimulatorConfig(port, host, newLatencyMs, newJitterMs, rate429, retryAfterSeconds, rate500,
                rateHang, maxConcurrent, seed, weightsRevisions, modelFaults);
    }

    public SimulatorConfig withFailureRates(double newRate429, double newRate500, double newRateHang) {
        return new SimulatorConfig(port, host, latencyMs, jitterMs, newRate429, retryAfterSeconds, newRate500,
                newRateHang, maxConcurrent, seed, weightsRevisions, modelFaults);
    }

    public SimulatorConfig withRetryAfterSeconds(int seconds) {
        return new SimulatorConfig(port, host, latencyMs, jitterMs, rate429, seconds, rate500, rateHang,
                maxConcurrent, seed, weightsRevisions, modelFaults);
    }

    public SimulatorConfig withMaxConcurrent(int slots) {
        return new SimulatorConfig(port, host, latencyMs, jitterMs, rate429, retryAfterSeconds, rate500, rateHang,
                slots, seed, weightsRevisions, modelFaults);
    }

    public SimulatorConfig withSeed(long newSeed) {
        return new SimulatorConfig(port, host, latencyMs, jitterMs, rate429, retryAfterSeconds, rate500, rateHang,
                maxConcurrent, newSeed, weightsRevisions, modelFaults);
    }

    /** These knobs with the models' weights revisions replaced ({@code model:revision,…}; "" = all at 0). */
    public SimulatorConfig withWeightsRevisions(String revisions) {
        return new SimulatorConfig(port, host, latencyMs, jitterMs, rate429, retryAfterSeconds, rate500, rateHang,
                maxConcurrent, seed, revisions, modelFaults);
    }

    /** These knobs with the per-model failure and hang rates replaced ({@code model:rate500:rateHang,…}; "" = none). */
    public SimulatorConfig withModelFaults(String faults) {
        return new SimulatorConfig(port, host, latencyMs, jitterMs, rate429, retryAfterSeconds, rate500, rateHang,
                maxConcurrent, seed, weightsRevisions, faults);
    }

    /** {@code latency-ms} → {@code latencyMs}, {@code rate-429} → {@code rate429}. */
    static String camelCase(String kebab) {
        StringBuilder out = new StringBuilder(kebab.length());
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The CLI form of every knob, for the usage text. */
    static String usage() {
        Map<String, Object> knobs = Json.MAPPER.convertValue(defaults(), Json.MAP);
        StringBuilder out = new StringBuilder("options (also as -Dsim.<name>=value):\n");
        knobs.forEach((name, value) -> out.append(String.format(Locale.ROOT, "  --%s=%s%n", kebabCase(name), value)));
        return out.toString();
    }

    private static String kebabCase(String camel) {
        return camel.replaceAll("([a-z])([A-Z0-9])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static boolean isRate(double rate) {
        return rate >= 0 && rate <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
