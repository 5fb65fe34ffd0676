package dev.lookout.ingest.service;

import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.repository.MetricRepository;
import dev.lookout.ingest.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Appends points to a run, all or nothing. The same (name, step) with the same value is a duplicate and
 * stored once; with a different value it is a conflict, counted, and the newest value wins.
 */
@ApplicationScoped
public class MetricService {

    public record AppendResult(long stored, long duplicates, long conflicts, Map<String, Long> storedBySeries,
                               int alarmsRaised) {
    }

    private record Key(String name, long step) {
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
        Run run = runs.findById(runId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
            throw new NotFoundException("run not found: " + runId);
        }
        long duplicates = 0;
        long conflicts = 0;
        Map<Key, MetricPoint> unique = new LinkedHashMap<>(points.size() * 2);
        for (MetricPoint p : points) {
            MetricPoint earlier = unique.put(new Key(p.name(), p.step()), p);
            if (earlier != null) {
                if (sameValue(earlier.value(), p.value())) {
                    duplicates++;
                } else {
                    conflicts++;
                }
            }
        }
        List<MetricPoint> deduped = new ArrayList<>(unique.values());
        MetricRepository.WriteCounts counts = metrics.upsert(runId, deduped);
        long inserted = counts.inserted().values().stream().mapToLong(Long::longValue).sum();
        long updated = counts.updated().values().stream().mapToLong(Long::longValue).sum();
        conflicts += updated;
        duplicates += deduped.size() - inserted - updated;
        if (!deduped.isEmpty()) {
            run.lastPointAt = Instant.now();
            run.updatedAt = run.lastPointAt;
            if (run.status == Run.Status.stalled) {
                run.status = Run.Status.running;
            }
        }
        int raised = alarms.onAppend(run, deduped);
        Map<String, Long> bySeries = new TreeMap<>();
        counts.inserted().forEach((k, v) -> {
            if (v > 0) {
                bySeries.put(k, v);
            }
        });
        return new AppendResult(inserted, duplicates, conflicts, bySeries, raised);
    }

    /** PostgreSQL's float8 equality: NaN equals NaN, 0.0 equals -0.0. */
    static boolean sameValue(double a, double b) {
        return a == b || (Double.isNaN(a) && Double.isNaN(b));
    }
}
