package dev.lookout.ingest.service.detect;

import java.util.List;

/**
 * A loss-alarm detector that runs incrementally on appended points. The engine gives it, per watched
 * series, at most {@link #lookback()} points from before the append (ascending) and the appended points
 * (ascending, finite or not). Detectors are pure: same input, same findings — and a finding's
 * (kind, series, fromStep) must not depend on how the points were split into appends, so re-running
 * never duplicates an alarm.
 */
public interface Detector {

    String kind();

    /** Whether this detector watches the (normalised) series. */
    boolean watches(String series);

    /** How many earlier points of the series the detector needs. */
    int lookback();

    List<Finding> detect(String series, List<SeriesPoint> history, List<SeriesPoint> appended);
}
