package dev.lookout.simulator;

import io.vertx.core.Context;

/** The running simulator's shared state: current knobs, counters, slots and dice. */
final class Simulator {

    private final Context context;
    private final Stats stats;
    private final Chaos chaos;
    private final Slots slots;
    private final LoraAdapters adapters = new LoraAdapters();
    private volatile SimulatorConfig config;

    Simulator(SimulatorConfig config, Context context, Stats stats) {
        this.config = config;
        this.context = context;
        this.stats = stats;
        this.chaos = new Chaos(config.seed());
        this.slots = new Slots(() -> this.config.maxConcurrent(), stats);
    }

    SimulatorConfig config() {
        return config;
    }

    Stats stats() {
        return stats;
    }

    Chaos chaos() {
        return chaos;
    }

    Slots slots() {
        return slots;
    }

    LoraAdapters adapters() {
        return adapters;
    }

    /** Records the port actually bound (relevant when the config asked for 0). */
    void boundTo(int port) {
        config = config.withEndpoint(port, config.host());
    }

    /** Applies new knobs at runtime and restarts the RNG from their seed; port and host keep their start values. */
    SimulatorConfig apply(SimulatorConfig next) {
        config = next.withEndpoint(config.port(), config.host());
        chaos.reseed(next.seed());
        context.runOnContext(ignored -> slots.drain());
        return config;
    }
}
