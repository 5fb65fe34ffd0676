package dev.lookout.ingest.service;

import dev.lookout.platform.ProjectKeys;
import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.entity.AlarmThresholdOverrides;
import dev.lookout.ingest.repository.AlarmThresholdRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-project alarm thresholds: the configured defaults with what the project changed on top. The detectors of
 * every append read the run's project's thresholds here.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AlarmThresholdService {

    /** A project's thresholds as stored and as answered. */
    public record ProjectThresholds(String project, AlarmThresholds thresholds, Instant updatedAt, String updatedBy) {
    }


    private final AlarmThresholdRepository repository;
    private final ProjectAccess access;
    private final IngestConfig config;

    public AlarmThresholdService(AlarmThresholdRepository repository, ProjectAccess access, IngestConfig config) {
        this.repository = repository;
        this.access = access;
        this.config = config;
    }

    /** The thresholds the detectors use for the project (no access check: the caller already checked the run). */
    public AlarmThresholds effective(String project) {
        AlarmThresholdOverrides o = repository.findById(project);
        return AlarmThresholds.of(config.alarms(), o == null ? Map.of() : known(o.overrides));
    }

    /** The project's thresholds, if the caller may see the project; otherwise 404. */
    public ProjectThresholds get(String project) {
        requireVisible(project);
        AlarmThresholdOverrides o = repository.findById(project);
        return o == null ? new ProjectThresholds(project, AlarmThresholds.defaults(config.alarms()), null, null)
                : new ProjectThresholds(project, AlarmThresholds.of(config.alarms(), known(o.overrides)), o.updatedAt, o.updatedBy);
    }

    /**
     * Replaces the project's overrides: knobs not named follow the defaults again. Values must be Boolean, Long
     * or Double; a wrong one is answered with 422 naming it and nothing is changed.
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public ProjectThresholds put(String project, Map<String, Object> overrides, String user) {
        requireVisible(project);
        Map<String, String> problems = AlarmThresholds.problems(overrides);
        if (!problems.isEmpty()) {
            List<BadInputException.Problem> list = new ArrayList<>();
            problems.forEach((path, why) -> list.add(BadInputException.Problem.atField(path, why)));
            var first = list.get(0);
            throw new BadInputException(422, first.field() + " " + first.message()
                    + (list.size() > 1 ? " (and " + (list.size() - 1) + " more)" : "") + "; nothing was changed", list);
        }
        AlarmThresholdOverrides o = repository.findById(project);
        if (o == null) {
            o = new AlarmThresholdOverrides();
            o.project = project;
            o.overrides = new LinkedHashMap<>(overrides);
            o.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            o.updatedBy = user;
            repository.persist(o);
        } else {
            o.overrides = new LinkedHashMap<>(overrides);
            o.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            o.updatedBy = user;
        }
        return new ProjectThresholds(project, AlarmThresholds.of(config.alarms(), overrides), o.updatedAt, o.updatedBy);
    }

    /** 404 unless the project key is well-formed and the caller may see the project. */
    public void requireVisible(String project) {
        if (!ProjectKeys.isValid(project) || !access.canSee(project)) {
            throw new NotFoundException("project not found: " + project);
        }
    }

    /** Stored overrides of knobs this version still knows, as Boolean, Long or Double. */
    private static Map<String, Object> known(Map<String, Object> stored) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (stored == null) {
            return out;
        }
        stored.forEach((path, v) -> {
            AlarmThresholds.Knob k = AlarmThresholds.knob(path);
            if (k == null || v == null) {
                return;
            }
            Object value = switch (k.type()) {
                case BOOLEAN -> v instanceof Boolean b ? b : null;
                case INT, LONG -> v instanceof Number n ? (Object) n.longValue() : null;
                case DOUBLE -> v instanceof Number n ? (Object) n.doubleValue() : null;
            };
            if (value != null && k.check(value) == null) {
                out.put(path, value);
            }
        });
        return out;
    }
}
