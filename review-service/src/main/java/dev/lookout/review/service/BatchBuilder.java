package dev.lookout.review.service;

import dev.lookout.review.client.Comparison;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Turns a comparison into the items of a review batch (pure, no I/O):
 * changed probes first (largest change first), plus a small share of unchanged-but-not-identical probes as
 * controls spread evenly through the batch; identical outputs and failed outputs are skipped.
 * Screen sides are random per item and balanced over the batch (|#A − #B| ≤ 1).
 */
public final class BatchBuilder {

    public record PlannedItem(int position, String probeId, List<String> probeTags, List<Map<String, Object>> messages,
                              String textA, String textB, Side candidateSide, boolean control, Double similarity) {
    }

    public record Plan(List<PlannedItem> items, int changed, int controls, int skippedIdentical, int skippedErrors) {
    }

    private BatchBuilder() {
    }

    /**
     * @param size         maximum number of items (null = every changed item plus its controls)
     * @param controlShare controls per taken changed item (e.g. 0.1)
     */
    public static Plan plan(List<Comparison.Item> comparisonItems, Integer size, double controlShare, Random random) {
        List<Comparison.Item> changed = new ArrayList<>();
        List<Comparison.Item> unchanged = new ArrayList<>();
        int identical = 0;
        int errors = 0;
        for (Comparison.Item item : comparisonItems == null ? List.<Comparison.Item>of() : comparisonItems) {
            if (item == null || item.probeId() == null || !usable(item.candidate()) || !usable(item.baseline())) {
                errors++;
            } else if (Boolean.TRUE.equals(item.identical())
                    || item.candidate().text().equals(item.baseline().text())) {
                identical++;
            } else if (Boolean.FALSE.equals(item.changed())) {
                unchanged.add(item);
            } else {
                changed.add(item);
            }
        }
        changed.sort(Comparator.comparing((Comparison.Item i) -> i.similarity() == null ? 1.0 : i.similarity())
                .thenComparing(Comparison.Item::probeId));
        unchanged.sort(Comparator.comparing(Comparison.Item::probeId));
        Collections.shuffle(unchanged, random);

        int limit = size == null ? Integer.MAX_VALUE : size;
        int changedBase = Math.min(changed.size(), limit);
        int controls = Math.min(unchanged.size(), (int) Math.ceil(changedBase * controlShare));
        if (size != null) {
            controls = Math.min(controls, Math.max(0, limit - 1));
        }
        int changedTaken = Math.min(changed.size(), limit - controls);
        if (changedTaken == 0) {
            controls = 0;
        }

        List<Comparison.Item> chosen = new ArrayList<>(changed.subList(0, changedTaken));
        List<Boolean> isControl = new ArrayList<>(Collections.nCopies(changedTaken, false));
        int total = changedTaken + controls;
        for (int c = 0; c < controls; c++) {
            int at = (int) ((long) (c + 1) * total / (controls + 1));
            chosen.add(Math.min(at, chosen.size()), unchanged.get(c));
            isControl.add(Math.min(at, isControl.size()), true);
        }

        List<Side> sides = balancedSides(total, random);
        List<PlannedItem> planned = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            Comparison.Item item = chosen.get(i);
            Side side = sides.get(i);
            String candidate = item.candidate().text();
            String baseline = item.baseline().text();
            planned.add(new PlannedItem(i, item.probeId(),
                    item.tags() == null ? List.of() : List.copyOf(item.tags()),
                    item.messages() == null ? List.of() : item.messages(),
                    side == Side.A ? candidate : baseline,
                    side == Side.A ? baseline : candidate,
                    side, isControl.get(i), item.similarity()));
        }
        return new Plan(List.copyOf(planned), changedTaken, controls, identical, errors);
    }

    /** n sides, half A and half B (the odd one random), in random order. */
    public static List<Side> balancedSides(int n, Random random) {
        List<Side> sides = new ArrayList<>(n);
        for (int i = 0; i < n / 2; i++) {
            sides.add(Side.A);
            sides.add(Side.B);
        }
        if (n % 2 == 1) {
            sides.add(random.nextBoolean() ? Side.A : Side.B);
        }
        Collections.shuffle(sides, random);
        return sides;
    }

    private static boolean usable(Comparison.Output output) {
        return output != null && output.text() != null && output.error() == null && !Objects.equals(output.text(), "");
    }
}
