package dev.lookout.simulator;

import java.util.Random;

/** The simulator's random decisions (injected faults, latency jitter), from one RNG seeded by the config. */
final class Chaos {

    private final Random random;

    Chaos(long seed) {
        random = new Random(seed);
    }

    void reseed(long seed) {
        random.setSeed(seed);
    }

    /** The forced fault when the request names one, else one draw against rate429, rate500 and rateHang. */
    Fault fault(String forced, SimulatorConfig config) {
        if (forced != null) {
            return Fault.forced(forced);
        }
        if (config.rate429() + config.rate500() + config.rateHang() == 0) {
            return Fault.NONE;
        }
        double draw = random.nextDouble();
        if (draw < config.rate429()) {
            return Fault.RATE_LIMITED;
        }
        if (draw < config.rate429() + config.rate500()) {
            return Fault.SERVER_ERROR;
        }
        return draw < config.rate429() + config.rate500() + config.rateHang() ? Fault.HANG : Fault.NONE;
    }

    /** One draw against the {@code modelFaults} rates of {@code model}; NONE (and no draw) when it has none. */
    Fault modelFault(String model, SimulatorConfig config) {
        ModelFaults.Rates rates = ModelFaults.parse(config.modelFaults()).get(model);
        if (rates == null || rates.rate500() + rates.rateHang() == 0) {
            return Fault.NONE;
        }
        double draw = random.nextDouble();
        if (draw < rates.rate500()) {
            return Fault.SERVER_ERROR;
        }
        return draw < rates.rate500() + rates.rateHang() ? Fault.HANG : Fault.NONE;
    }

    /** latencyMs plus a uniform jitter in [0, jitterMs]. */
    long latencyMs(SimulatorConfig config) {
        return config.jitterMs() == 0 ? config.latencyMs() : config.latencyMs() + random.nextLong(config.jitterMs() + 1);
    }
}
