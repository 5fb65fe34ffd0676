package dev.lookout.review.service;

import dev.lookout.review.client.ProbeRunView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The previous / next checkpoint of a run among its probe runs (pure). */
class NeighbourCheckpointTest {

    private static ProbeRunView run(long step, String status) {
        return new ProbeRunView(UUID.randomUUID(), "p", UUID.randomUUID(), UUID.randomUUID(), step, UUID.randomUUID(),
                status, List.of(new ProbeRunView.Target("e", "m-" + step, null)));
    }

    @Test
    void shouldPickTheClosestStepAndPreferACompletedProbeRunOfIt() {
        ProbeRunView s200 = run(200, "completed");
        ProbeRunView s400Failed = run(400, "failed");
        ProbeRunView s400 = run(400, "completed");
        ProbeRunView s800 = run(800, "running");
        List<ProbeRunView> peers = List.of(s400Failed, s800, s200, s400);

        assertEquals(s400, BatchService.neighbour(peers, 600, true));
        assertEquals(s800, BatchService.neighbour(peers, 600, false));
        assertEquals(s200, BatchService.neighbour(peers, 400, true));
        assertEquals(s400, BatchService.neighbour(peers, 200, false));
        assertNull(BatchService.neighbour(peers, 200, true), "the first checkpoint has no previous one");
        assertNull(BatchService.neighbour(peers, 800, false));
        assertNull(BatchService.neighbour(List.of(), 400, true));
    }
}
