package dev.lookout.simulator;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorConfigTest {

    @Test
    void argumentsOverrideSystemPropertiesOverrideDefaults() {
        Properties props = new Properties();
        props.setProperty("sim.port", "9000");
        props.setProperty("sim.latency-ms", "15");
        props.setProperty("sim.rate-429", "0.1");
        props.setProperty("unrelated.property", "x");
        SimulatorConfig config = SimulatorConfig.fromArgs(
                new String[] {"--port=0", "--max-concurrent=4", "--retry-after-seconds=3", "--seed=7"}, props);
        assertEquals(0, config.port());
        assertEquals(15, config.latencyMs());
        assertEquals(0.1, config.rate429());
        assertEquals(4, config.maxConcurrent());
        assertEquals(3, config.retryAfterSeconds());
        assertEquals(7, config.seed());
        assertEquals("127.0.0.1", config.host());
    }

    @Test
    void defaultsMatchTheReadme() {
        SimulatorConfig config = SimulatorConfig.fromArgs(new String[0], new Properties());
        assertEquals(SimulatorConfig.defaults(), config);
        assertEquals(8090, config.port());
        assertEquals(1, config.retryAfterSeconds());
        assertEquals(0, config.maxConcurrent());
    }

    @Test
    void badKnobsAreRefused() {
        Properties none = new Properties();
        assertThrows(IllegalArgumentException.class, () -> SimulatorConfig.fromArgs(new String[] {"--nope=1"}, none));
        assertThrows(IllegalArgumentException.class, () -> SimulatorConfig.fromArgs(new String[] {"--port"}, none));
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorConfig.fromArgs(new String[] {"--rate-500=1.5"}, none));
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorConfig.fromArgs(new String[] {"--latency-ms=soon"}, none));
    }

    @Test
    void usageListsEveryKnobAsAFlag() {
        String usage = SimulatorConfig.usage();
        assertTrue(usage.contains("--latency-ms=0"), usage);
        assertTrue(usage.contains("--rate-429=0.0"), usage);
        assertTrue(usage.contains("--max-concurrent=0"), usage);
    }
}
