package dev.lookout.ingest.service;

import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.repository.MetricRepository;
import dev.lookout.ingest.repository.RunRepository;
import dev.lookout.ingest.service.detect.SeriesPoint;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Appends points to a run, all or nothing. The same (name, step) with the same value is a duplicate and
 * stored once; with a different value it is a conflict, counted, and the newest value wins. Points are
 * streamed into PostgreSQL while they are produced (parsed from a request body, or read from a parsed log);
 * the detectors then run on what was appended.
 */
@ApplicationScoped
public class MetricService {

    public record AppendResult(long stored, long duplicates, long conflicts, Map<String, Long> storedBySeries,
                               int alarmsRaised) {
    }

    private final MetricRepository metrics;
    private final RunRepository runs;
    private final AlarmEngine alarms;

    public MetricService(MetricRepository metrics, RunRepository runs, AlarmEngine alarms) {
        this.metrics = metrics;
        this.runs = runs;
        this.alarms = alarms;
    }

    /** The run must have been checked for visibility by the caller. */
    @Transactional
    public AppendResult append(UUID runId, List<MetricPoint> points) {
        return append(runId, sink -> {
            for (MetricPoint p : points) {
                sink.add(p.name(), p.step(), p.value(), MetricRepository.micros(p.wallTime()));
            }
        });
    }

    /**
     * {@link #append(UUID, PointSink.Producer)} for log uploads, whose producer reads the request body: the
     * transaction may last as long as lookout.ingest.upload-transaction-timeout-seconds.
     */
    @Transactional
    @TransactionConfiguration(timeoutFromConfigProperty = "lookout.ingest.upload-transaction-timeout-seconds")
    public AppendResult appendUpload(UUID runId, PointSink.Producer producer) {
        return append(runId, producer);
    }

    /**
     * Appends what the producer produces; if it throws, nothing is stored. The run must have been checked for
     * visibility by the caller.
     */
    @Transactional
    public AppendResult append(UUID runId, PointSink.Producer producer) {
        Run run = runs.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
            throw new NotFoundException("run not found: " + runId);
        }
        Watched watched = new Watched(alarms::watches);
        MetricRepository.WriteCounts counts = metrics.write(runId, sink -> producer.produce((name, step, value, wall) -> {
            sink.add(name, step, value, wall);
            watched.add(name, step, value);
        }));
        long stored = counts.stored();
        long conflicts = counts.updated() + counts.conflictsInBatch();
        if (counts.received() > 0) {
            run.lastPointAt = Instant.now();
            run.updatedAt = run.lastPointAt;
            if (run.status == Run.Status.stalled) {
                run.status = Run.Status.running;
            }
        }
        int raised = alarms.onAppend(run, watched.series());
        Map<String, Long> bySeries = new TreeMap<>(counts.inserted());
        return new AppendResult(stored, counts.duplicates(), conflicts, bySeries, raised);
    }

    /**
     * The appended points of the series some detector watches, as primitive arrays while they arrive; at the end
     * each series ascending by step with each step once (the newest value wins).
     */
    static final class Watched {
        private final Predicate<String> watches;
        private final Map<String, Buffer> byValue = new HashMap<>();

        Watched(Predicate<String> watches) {
            this.watches = watches;
        }

        private static final class Buffer {
            final boolean watched;
            long[] steps = new long[256];
            double[] values = new double[256];
            int n;
            boolean ascending = true;

            Buffer(boolean watched) {
                this.watched = watched;
            }
        }

        void add(String name, long step, double value) {
            Buffer b = byValue.get(name);
            if (b == null) {
                b = new Buffer(watches.test(name));
                byValue.put(name, b);
            }
            if (!b.watched) {
                return;
            }
            if (b.n == b.steps.length) {
                b.steps = Arrays.copyOf(b.steps, b.n * 2);
                b.values = Arrays.copyOf(b.values, b.n * 2);
            }
            if (b.n > 0 && step <= b.steps[b.n - 1]) {
                b.ascending = false;
            }
            b.steps[b.n] = step;
            b.values[b.n] = value;
            b.n++;
        }

        Map<String, List<SeriesPoint>> series() {
            Map<String, List<SeriesPoint>> out = new TreeMap<>();
            for (var e : byValue.entrySet()) {
                Buffer b = e.getValue();
                if (!b.watched || b.n == 0) {
                    continue;
                }
                List<SeriesPoint> points;
                if (b.ascending) {
                    points = new ArrayList<>(b.n);
                    for (int i = 0; i < b.n; i++) {
                        points.add(new SeriesPoint(b.steps[i], b.values[i]));
                    }
                } else {
                    TreeMap<Long, Double> sorted = new TreeMap<>();
                    for (int i = 0; i < b.n; i++) {
                        sorted.put(b.steps[i], b.values[i]);
                    }
                    points = new ArrayList<>(sorted.size());
                    sorted.forEach((s, v) -> points.add(new SeriesPoint(s, v)));
                }
                out.put(e.getKey(), points);
            }
            return out;
        }
    }
}
