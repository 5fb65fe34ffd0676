package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Stops the shared broker's application ({@code rabbitmqctl stop_app}) for a while and always starts it again, also
 * when the check held during the outage fails.
 */
final class BrokerOutage {

    private BrokerOutage() {
    }

    /**
     * Broker down for {@code length}; {@code holds} must stay true the whole time (polled every 2 s: what keeps
     * working without the broker). Returns once the broker answers again.
     */
    static void hold(Duration length, Callable<Boolean> holds) {
        long t0 = System.nanoTime();
        Shell.rabbitmqctl(false, "stop_app");
        System.out.println("[faults] broker stopped (rabbitmqctl stop_app) for " + length.toSeconds() + " s");
        try {
            await("while the broker is down").during(length).atMost(length.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(2)).until(holds);
        } finally {
            Shell.rabbitmqctl(false, "start_app");
            Shell.rabbitmqctl(true, "await_startup");
            System.out.printf("[faults] broker started again after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }
}
