package dev.lookout.ingest.service;

import dev.lookout.ingest.repository.MetricRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SeriesService {

    public record Point(long step, double value) {
    }

    /** min/max over finite values (null when none); last is the value at the highest step. */
    public record SeriesView(String name, long count, Double min, Double max, Double last, List<Point> points) {
    }

    private final MetricRepository metrics;
    private final RunService runs;

    public SeriesService(MetricRepository metrics, RunService runs) {
        this.metrics = metrics;
        this.runs = runs;
    }

    public List<SeriesView> read(UUID runId, List<String> names, int maxPoints) {
        runs.require(runId);
        List<String> wanted = names == null || names.isEmpty() ? metrics.names(runId)
                : names.stream().map(MetricNames::normalise).distinct().toList();
        List<SeriesView> out = new ArrayList<>();
        for (String name : wanted) {
            MetricRepository.Series s = metrics.series(runId, name, Long.MAX_VALUE);
            out.add(view(name, s.steps(), s.values(), maxPoints));
        }
        return out;
    }

    static SeriesView view(String name, long[] steps, double[] values, int maxPoints) {
        Double min = null;
        Double max = null;
        for (double v : values) {
            if (Double.isFinite(v)) {
                min = min == null ? v : Math.min(min, v);
                max = max == null ? v : Math.max(max, v);
            }
        }
        int[] keep = Lttb.select(steps, values, maxPoints);
        List<Point> points = new ArrayList<>(keep.length);
        for (int i : keep) {
            points.add(new Point(steps[i], values[i]));
        }
        Double last = values.length == 0 ? null : values[values.length - 1];
        return new SeriesView(name, steps.length, min, max, last, points);
    }
}
