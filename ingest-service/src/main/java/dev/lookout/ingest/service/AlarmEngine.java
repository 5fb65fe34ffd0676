package dev.lookout.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.entity.Alarm;
import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.messaging.EventTypes;
import dev.lookout.ingest.messaging.OutboxWriter;
import dev.lookout.ingest.repository.AlarmRepository;
import dev.lookout.ingest.repository.MetricRepository;
import dev.lookout.ingest.service.detect.Detector;
import dev.lookout.ingest.service.detect.Finding;
import dev.lookout.ingest.service.detect.SeriesPoint;
import dev.lookout.platform.outbox.EventFields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Runs the detectors on what was just appended (plus each detector's bounded look-back read from the
 * database) and stores new findings as alarms, each announced once with alarm.raised. Which detectors run, and
 * with which knobs, is the run's project's {@link AlarmThresholds}; new detectors are added there.
 */
@ApplicationScoped
public class AlarmEngine {

    private final List<Detector> all;
    private final AlarmThresholdService thresholds;
    private final MetricRepository metrics;
    private final AlarmRepository alarms;
    private final OutboxWriter outbox;
    private final ObjectMapper mapper;

    public AlarmEngine(IngestConfig config, AlarmThresholdService thresholds, MetricRepository metrics, AlarmRepository alarms,
                       OutboxWriter outbox, ObjectMapper mapper) {
        this.all = detectors(config.alarms());
        this.thresholds = thresholds;
        this.metrics = metrics;
        this.alarms = alarms;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /** The detectors, configured from lookout.ingest.alarms.* (also used by tests and the sample check). */
    public static List<Detector> detectors(IngestConfig.Alarms a) {
        return AlarmThresholds.defaults(a).detectors();
    }

    /** Whether any detector (of any project) watches the series: only those points are handed to {@link #onAppend}. */
    public boolean watches(String series) {
        for (Detector d : all) {
            if (d.watches(series)) {
                return true;
            }
        }
        return false;
    }

    /** @param appended the points just written, each (name, step) once */
    @Transactional(Transactional.TxType.MANDATORY)
    public int onAppend(Run run, List<MetricPoint> appended) {
        Map<String, List<SeriesPoint>> bySeries = new TreeMap<>();
        for (MetricPoint p : appended) {
            if (watches(p.name())) {
                bySeries.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(new SeriesPoint(p.step(), p.value()));
            }
        }
        bySeries.values().forEach(l -> l.sort(Comparator.comparingLong(SeriesPoint::step)));
        return onAppend(run, bySeries);
    }

    /**
     * Runs the run's project's detectors ({@link AlarmThresholdService}) on the appended points.
     *
     * @param bySeries the points just written per watched series, ascending, each step once
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int onAppend(Run run, Map<String, List<SeriesPoint>> bySeries) {
        if (bySeries.isEmpty()) {
            return 0;
        }
        List<Detector> detectors = thresholds.effective(run.project).detectors();
        int raised = 0;
        for (var entry : bySeries.entrySet()) {
            String series = entry.getKey();
            List<SeriesPoint> points = entry.getValue();
            if (points.isEmpty()) {
                continue;
            }
            // one read of the look-back per series, as long as the longest any watching detector needs
            int lookback = -1;
            for (Detector d : detectors) {
                if (d.watches(series)) {
                    lookback = Math.max(lookback, d.lookback());
                }
            }
            if (lookback < 0) {
                continue;
            }
            List<SeriesPoint> longest = lookback == 0 ? List.of() : metrics.before(run.id, series, points.get(0).step(), lookback);
            for (Detector d : detectors) {
                if (!d.watches(series)) {
                    continue;
                }
                List<SeriesPoint> history = longest.subList(Math.max(0, longest.size() - d.lookback()), longest.size());
                for (Finding f : d.detect(series, history, points, (other, upTo, limit) -> metrics.upTo(run.id, other, upTo, limit))) {
                    if (store(run, f)) {
                        raised++;
                    }
                }
            }
        }
        return raised;
    }

    private boolean store(Run run, Finding f) {
        Alarm a = new Alarm();
        a.id = UUID.randomUUID();
        a.runId = run.id;
        a.kind = f.kind();
        a.severity = f.severity().name();
        a.series = f.series();
        a.fromStep = f.fromStep();
        a.toStep = f.toStep();
        a.message = f.message();
        a.evidence = evidence(f.evidence());
        a.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!alarms.insertIfAbsent(a)) {
            return false;
        }
        outbox.append(EventTypes.ALARM_RAISED, run.project, EventFields.of()
                .with("runId", run.id.toString())
                .with("alarmId", a.id.toString())
                .with("kind", a.kind)
                .with("severity", a.severity)
                .with("series", a.series)
                .with("fromStep", a.fromStep)
                .with("toStep", a.toStep)
                .with("message", a.message));
        return true;
    }

    private String evidence(List<SeriesPoint> points) {
        ArrayNode arr = mapper.createArrayNode();
        for (SeriesPoint p : points) {
            var o = arr.addObject();
            o.put("step", p.step());
            if (Double.isFinite(p.value())) {
                o.put("value", p.value());
            } else {
                o.put("value", Double.isNaN(p.value()) ? "NaN" : p.value() > 0 ? "Infinity" : "-Infinity");
            }
        }
        try {
            return mapper.writeValueAsString(arr);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
