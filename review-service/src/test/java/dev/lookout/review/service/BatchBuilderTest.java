package dev.lookout.review.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.review.client.Comparison;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchBuilderTest {

    private static Comparison fixture() throws IOException {
        try (InputStream in = BatchBuilderTest.class.getResourceAsStream("/comparisons/demo-comparison.json")) {
            return new ObjectMapper().readValue(in, Comparison.class);
        }
    }

    @Test
    void shouldParseTheComparisonShapeOfProbeRunner() throws IOException {
        Comparison c = fixture();
        assertEquals(new Target("vllm-local", "demo-ckpt-200"), Target.fromJson(c.candidate()));
        assertEquals(new Target("vllm-local", "demo-base"), Target.fromJson(c.baseline()));
        assertEquals(10, c.items().size());
        assertEquals("user", c.items().get(0).messages().get(0).get("role"));
    }

    @Test
    void shouldTakeChangedFirstAddControlsAndSkipIdenticalAndFailed() throws IOException {
        BatchBuilder.Plan plan = BatchBuilder.plan(fixture().items(), null, 0.1, new Random(7));
        // fixture: 6 changed, 2 unchanged-but-different, 1 identical, 1 failed
        assertEquals(6, plan.changed());
        assertEquals(1, plan.controls()); // ceil(6 * 0.1)
        assertEquals(1, plan.skippedIdentical());
        assertEquals(1, plan.skippedErrors());
        assertEquals(7, plan.items().size());
        Set<String> probes = plan.items().stream().map(BatchBuilder.PlannedItem::probeId).collect(Collectors.toSet());
        assertFalse(probes.contains("same-1"));
        assertFalse(probes.contains("failed-1"));
        BatchBuilder.PlannedItem control = plan.items().stream().filter(BatchBuilder.PlannedItem::control).findFirst().orElseThrow();
        assertTrue(control.probeId().startsWith("steady-"));
        assertTrue(control.position() > 0 && control.position() < 6, "control is spread into the batch, not last");
        // changed items in order of decreasing change (lowest similarity first)
        List<String> changedOrder = plan.items().stream().filter(i -> !i.control()).map(BatchBuilder.PlannedItem::probeId).toList();
        assertEquals(List.of("chg-6", "chg-5", "chg-4", "chg-3", "chg-2", "chg-1"), changedOrder);
    }

    @Test
    void shouldStoreTextsBySideSoTheCandidateCanBeMappedBack() throws IOException {
        BatchBuilder.Plan plan = BatchBuilder.plan(fixture().items(), null, 0.1, new Random(3));
        for (BatchBuilder.PlannedItem item : plan.items()) {
            String candidate = item.candidateSide() == Side.A ? item.textA() : item.textB();
            String baseline = item.candidateSide() == Side.A ? item.textB() : item.textA();
            assertTrue(candidate.startsWith("ckpt:"), candidate);
            assertTrue(baseline.startsWith("base:"), baseline);
            assertEquals(item.position(), plan.items().indexOf(item));
        }
    }

    @Test
    void shouldHonourSizeWithChangedFirst() throws IOException {
        BatchBuilder.Plan plan = BatchBuilder.plan(fixture().items(), 3, 0.1, new Random(1));
        assertEquals(3, plan.items().size());
        assertEquals(1, plan.controls()); // ceil(3 * 0.1)
        assertEquals(2, plan.changed());
        assertTrue(plan.items().stream().filter(i -> !i.control()).allMatch(i -> Set.of("chg-6", "chg-5").contains(i.probeId())));
    }

    @Test
    void shouldBuildNothingWithoutChangedItems() throws IOException {
        List<Comparison.Item> onlySteady = fixture().items().stream()
                .filter(i -> !i.probeId().startsWith("chg-")).toList();
        BatchBuilder.Plan plan = BatchBuilder.plan(onlySteady, null, 0.1, new Random(1));
        assertTrue(plan.items().isEmpty());
        assertNull(plan.items().stream().findFirst().orElse(null));
    }

    @Test
    void shouldBalanceSidesAcrossABatch() {
        Random random = new Random(42);
        for (int n = 0; n <= 41; n++) {
            List<Side> sides = BatchBuilder.balancedSides(n, random);
            long a = sides.stream().filter(s -> s == Side.A).count();
            assertEquals(n, sides.size());
            assertTrue(Math.abs(a - (n - a)) <= 1, "n=" + n + " A=" + a);
        }
    }

    @Test
    void shouldRandomiseSidesPerItem() {
        Random random = new Random(9);
        int firstIsA = 0;
        for (int trial = 0; trial < 400; trial++) {
            if (BatchBuilder.balancedSides(10, random).get(0) == Side.A) {
                firstIsA++;
            }
        }
        // P(A) = 0.5 per position; 400 trials → 200 ± 3 sd (±30)
        assertTrue(firstIsA > 170 && firstIsA < 230, "first position was A " + firstIsA + " times of 400");
    }
}
