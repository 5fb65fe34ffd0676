package dev.lookout.proberunner.messaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.config.ProbeRunnerConfig;

/**
 * The test-only failpoint {@code lookout.outbox.failpoint}: off unless set, and a value other than
 * {@code exit-after-publish} stops the service at start instead of being ignored. (That it halts after the confirm
 * and before the mark is shown by the system tests' OutboxRelayFaultIT.)
 */
class OutboxFailpointTest {

    @Test
    void unsetIsOffAndOnlyTheKnownValueIsAccepted() {
        assertDoesNotThrow(() -> new OutboxRelay(null, null, config(Optional.empty())));
        assertDoesNotThrow(() -> new OutboxRelay(null, null, config(Optional.of("exit-after-publish"))));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new OutboxRelay(null, null, config(Optional.of("exit-before-publish"))));
        assertTrue(refused.getMessage().contains("exit-after-publish"), refused.getMessage());
    }

    private static ProbeRunnerConfig config(Optional<String> failpoint) {
        ProbeRunnerConfig.Outbox outbox = proxy(ProbeRunnerConfig.Outbox.class, "failpoint", failpoint);
        return proxy(ProbeRunnerConfig.class, "outbox", outbox);
    }

    private static <T> T proxy(Class<T> type, String method, Object value) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals(method)) {
                return value;
            }
            throw new UnsupportedOperationException(m.getName());
        }));
    }
}
