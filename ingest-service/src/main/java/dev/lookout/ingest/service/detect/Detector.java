package dev.lookout.ingest.service.detect;

import java.util.List;

import dev.lookout.ingest.service.MetricNames;

/**
 * A loss-alarm detector that runs incrementally on appended points. The engine gives it, per watched
 * series, at most {@link #lookback()} points from before the append (ascending) and the appended points
 * (ascending, finite or not). Detectors are pure: same input, same findings — and a finding's
 * (kind, series, fromStep) must not depend on how the points were split into appends, so re-running
 * never duplicates an alarm. Detectors with state (a stretch, a plateau) replay the look-back and only
 * report findings whose triggering point is among the appended points.
 */
public interface Detector {

    /** Read access to other series of the same run (already including the points being appended). */
    @FunctionalInterface
    interface SeriesLookup {
        /** Up to {@code limit} points of {@code series} at or before {@code step}, ascending. */
        List<SeriesPoint> upTo(String series, long step, int limit);

        SeriesLookup NONE = (series, step, limit) -> List.of();
    }

    String kind();

    /** Whether this detector watches the (normalised) series; most watch the training loss. */
    default boolean watches(String series) {
        return MetricNames.TRAIN_LOSS.equals(series);
    }

    /** How many earlier points of the series the detector needs. */
    int lookback();

    List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended);

    /** Detectors that compare series (overfitting: eval against train loss) override this one. */
    default List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended, SeriesLookup lookup) {
        return detect(series, history, appended);
    }
}
