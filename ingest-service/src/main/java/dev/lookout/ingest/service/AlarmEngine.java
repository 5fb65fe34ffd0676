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
import dev.lookout.ingest.service.detect.DivergenceDetector;
import dev.lookout.ingest.service.detect.GradNormDetector;
import dev.lookout.ingest.service.detect.OverfittingDetector;
import dev.lookout.ingest.service.detect.PlateauDetector;
import dev.lookout.ingest.service.detect.TooFastDropDetector;
import dev.lookout.ingest.service.detect.Finding;
import dev.lookout.ingest.service.detect.NonFiniteDetector;
import dev.lookout.ingest.service.detect.SeriesPoint;
import dev.lookout.ingest.service.detect.SpikeDetector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Runs the detectors on what was just appended (plus each detector's bounded look-back read from the
 * database) and stores new findings as alarms, each announced once with alarm.raised. New detectors are
 * added to {@link #detectors}.
 */
@ApplicationScoped
public class AlarmEngine {

    private final List<Detector> detectors;
    private final MetricRepository metrics;
    private final AlarmRepository alarms;
    private final OutboxWriter outbox;
    private final ObjectMapper mapper;

    public AlarmEngine(IngestConfig config, MetricRepository metrics, AlarmRepository alarms, OutboxWriter outbox,
                       ObjectMapper mapper) {
        this.detectors = detectors(config.alarms());
        this.metrics = metrics;
        this.alarms = alarms;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /** The detectors, configured from lookout.ingest.alarms.* (also used by tests and the sample check). */
    public static List<Detector> detectors(IngestConfig.Alarms a) {
        IngestConfig.Spike spike = a.spike();
        IngestConfig.Divergence div = a.divergence();
        IngestConfig.Plateau plateau = a.plateau();
        IngestConfig.Overfitting over = a.overfitting();
        IngestConfig.TooFastDrop drop = a.tooFastDrop();
        IngestConfig.GradNorm grad = a.gradNorm();
        return List.of(
                new NonFiniteDetector(),
                new SpikeDetector(spike.window(), spike.minPoints(), spike.warmupSteps(), spike.threshold(),
                        spike.minRelativeRise(), spike.minAbsoluteRise()),
                new DivergenceDetector(div.alpha(), div.window(), div.minRise(), div.minAbsRise(), div.sustain(), div.warmupSteps(),
                        div.minPoints()),
                new PlateauDetector(plateau.window(), plateau.minImprovement(), plateau.warmupSteps()),
                new OverfittingDetector(over.minRise(), over.minTrainDrop(), over.minEvalsAfter(), over.trainPoints()),
                new TooFastDropDetector(drop.alpha(), drop.floor(), drop.minStartLoss(), drop.sustain(), drop.fastWindow(),
                        drop.maxDrop(), drop.minAbsDrop(), drop.warmupSteps(), drop.minPoints(), drop.lookback()),
                new GradNormDetector(grad.window(), grad.minPoints(), grad.warmupSteps(), grad.minRatio(), grad.threshold(),
                        grad.criticalRatio()));
    }

    /** @param appended the points just written, each (name, step) once */
    @Transactional(Transactional.TxType.MANDATORY)
    public int onAppend(Run run, List<MetricPoint> appended) {
        Map<String, Boolean> watched = new HashMap<>();
        Map<String, List<SeriesPoint>> bySeries = new TreeMap<>();
        for (MetricPoint p : appended) {
            if (watched.computeIfAbsent(p.name(), n -> detectors.stream().anyMatch(d -> d.watches(n)))) {
                bySeries.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(new SeriesPoint(p.step(), p.value()));
            }
        }
        int raised = 0;
        for (var entry : bySeries.entrySet()) {
            String series = entry.getKey();
            List<SeriesPoint> points = entry.getValue();
            points.sort(Comparator.comparingLong(SeriesPoint::step));
            // one read of the look-back per series, as long as the longest any watching detector needs
            int lookback = 0;
            for (Detector d : detectors) {
                if (d.watches(series)) {
                    lookback = Math.max(lookback, d.lookback());
                }
            }
            List<SeriesPoint> longest = metrics.before(run.id, series, points.get(0).step(), lookback);
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
        outbox.append(EventTypes.ALARM_RAISED, run.project, e -> {
            e.put("runId", run.id.toString());
            e.put("alarmId", a.id.toString());
            e.put("kind", a.kind);
            e.put("severity", a.severity);
            e.put("series", a.series);
            e.put("fromStep", a.fromStep);
            e.put("toStep", a.toStep);
            e.put("message", a.message);
        });
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
