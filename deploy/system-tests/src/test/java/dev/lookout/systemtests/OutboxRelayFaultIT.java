package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * probe-runner's outbox relay dies between the broker's confirm and marking the rows sent (the test-only failpoint
 * {@code lookout.outbox.failpoint=exit-after-publish} halts the JVM there). After a restart the relay sends the same
 * rows again: the raw queue sees probe-run.started twice with the same eventId, a consumer that dedupes by eventId
 * sees each event once, and the run completes with nothing lost or duplicated.
 */
@ExtendWith(SystemExtension.class)
class OutboxRelayFaultIT {

    private final SystemUnderTest system = SystemUnderTest.get();

    @Test
    void aRelayKilledBetweenPublishAndMarkResendsTheSameEventsAndNothingIsLostOrDuplicated() {
        long t0 = System.nanoTime();
        ManagedProcess runner = system.process("probe-runner");
        try (EventTap tap = EventTap.on("probe-runner.events")) {
            FaultRun run = FaultRun.prepare("outbox", 4, 5000);
            runner.stop();
            try {
                system.restartService("probe-runner", Map.of("lookout.outbox.failpoint", "exit-after-publish"));
                run.registerCheckpoint();
                Integer exit = await("probe-runner halted by the failpoint").atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(100)).until(runner::exitCode, code -> code != null);
                assertEquals(86, exit, "the failpoint's exit code; log:\n" + runner.tail(30));
            } finally {
                runner.kill9(); // no-op once halted; ends it if the failpoint never fired
                system.restartService("probe-runner", java.util.Collections.singletonMap("lookout.outbox.failpoint", null));
            }
            System.out.printf("[faults] outbox: probe-runner halted after publish and restarted after %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            run.awaitProbeRun();

            run.verify(tap, () -> SimulatorControl.maxInFlight(run.apiKey));
            List<EventTap.Delivery> started = tap.raw("probe-run.started", "probeRunId", run.probeRunId());
            Set<String> startedIds = tap.eventIds("probe-run.started", "probeRunId", run.probeRunId());
            assertEquals(1, startedIds.size(), "one probe-run.started by eventId: " + started);
            assertEquals(2, started.size(), "sent before the halt and re-sent after the restart: " + started);
            for (EventTap.Delivery d : started) {
                assertEquals(startedIds.iterator().next(), d.eventId(), "the re-sent copy is the same event");
                assertEquals(d.eventId(), d.messageId(), "messageId = eventId: " + d);
            }
            List<Map<String, Object>> probeRuns = Seed.awaitProbeRunsCompleted(run.runId, 1);
            assertEquals(1, probeRuns.size(), "a re-delivered checkpoint.registered starts no second probe run");
            assertTrue(tap.eventIds("probe-run.completed", "probeRunId", run.probeRunId()).size() == 1);
        }
        System.out.printf("[faults] outbox relay fault took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
