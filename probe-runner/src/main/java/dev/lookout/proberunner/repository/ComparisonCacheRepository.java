package dev.lookout.proberunner.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.proberunner.domain.ComparisonReport;

/**
 * Table {@code comparisons}: one cached result per (suite version, probe run or none, candidate, baseline, semantic),
 * with the fingerprint of the outputs it was built from. Native SQL only. Column {@code result} holds the
 * {@link ComparisonReport} as JSON; a row that no longer reads as one is a cache miss (logged, then overwritten).
 */
@ApplicationScoped
public class ComparisonCacheRepository {

    /** Stands for "no probe run" (the ?suiteVersion= form) in the key. */
    public static final UUID NO_RUN = new UUID(0, 0);

    /** What identifies a cached comparison. */
    public record Key(UUID suiteVersionId, UUID probeRunId, String candidateEndpoint, String candidateModel,
            String baselineEndpoint, String baselineModel, boolean semantic) {
    }

    /** The outputs a comparison is built from: their count, newest completedAt and a digest of (id, status, time). */
    public record Fingerprint(int count, Instant maxCompletedAt, String digest) {
        public String value(String settings) {
            return count + "/" + (maxCompletedAt == null ? "-" : maxCompletedAt.toString()) + "/" + digest + "/"
                    + settings;
        }
    }

    public record Cached(String fingerprint, ComparisonReport report) {
    }

    /** md5 over the outputs in {@code used} (id, status, completed_at), plus count and newest completed_at. */
    private static final String DIGEST = """
            select count(*)::int, max(completed_at),
              md5(coalesce(string_agg(id::text || ':' || status || ':' || coalesce(completed_at::text, ''), ','
                                      order by id), ''))
            from used
            """;

    private static final Logger LOG = Logger.getLogger(ComparisonCacheRepository.class);

    private final EntityManager em;
    private final ObjectMapper mapper;

    public ComparisonCacheRepository(EntityManager em, ObjectMapper mapper) {
        this.em = em;
        this.mapper = mapper;
    }

    /** The outputs ?probeRun= compares: the run's own targets 0 and 1, sample 0 (pending ones included). */
    public Fingerprint fingerprintForRun(UUID probeRunId) {
        return fingerprint(em.createNativeQuery("""
                with used as (select id, status, completed_at from outputs
                              where probe_run_id = :run and sample = 0 and target_index <= 1)
                """ + DIGEST).setParameter("run", probeRunId));
    }

    /**
     * The outputs ?suiteVersion=&candidate=&baseline= compares: per target and probe the newest finished sample-0
     * output from a completed run of the suite version (the same choice as OutputRepository#latestForTarget).
     */
    public Fingerprint fingerprintForTargets(UUID suiteVersionId, String project, String candidateEndpoint,
            String candidateModel, String baselineEndpoint, String baselineModel) {
        return fingerprint(em.createNativeQuery("""
                with used as (
                  select distinct on (o.endpoint_name, o.model, o.probe_id) o.id, o.status, o.completed_at
                  from outputs o join probe_runs r on r.id = o.probe_run_id
                  where r.suite_version_id = :sv and r.project = :p and r.status = 'completed' and o.sample = 0
                    and o.status in ('done', 'error')
                    and ((o.endpoint_name = :ce and o.model = :cm) or (o.endpoint_name = :be and o.model = :bm))
                  order by o.endpoint_name, o.model, o.probe_id, o.completed_at desc, o.id desc)
                """ + DIGEST).setParameter("sv", suiteVersionId).setParameter("p", project)
                .setParameter("ce", candidateEndpoint).setParameter("cm", candidateModel)
                .setParameter("be", baselineEndpoint).setParameter("bm", baselineModel));
    }

    private static Fingerprint fingerprint(Query q) {
        Object[] row = (Object[]) q.getSingleResult();
        return new Fingerprint(((Number) row[0]).intValue(), instant(row[1]), (String) row[2]);
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getSimpleName());
    }

    public Optional<Cached> find(Key k) {
        List<?> rows = where(em.createNativeQuery("select fingerprint, result from comparisons where "
                + KEY_SQL), k).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        try {
            return Optional.of(new Cached((String) row[0], mapper.readValue((String) row[1], ComparisonReport.class)));
        } catch (JsonProcessingException e) {
            LOG.warnf("cached comparison %s is unreadable, computing it again: %s", k, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /** Inserts or replaces the cached result of the key (call in a transaction). */
    public void store(Key k, String fingerprint, Fingerprint used, ComparisonReport report) {
        String json;
        try {
            json = mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("comparison cannot be written as JSON", e);
        }
        Query q = where(em.createNativeQuery("""
                insert into comparisons (id, suite_version_id, probe_run_id, candidate_endpoint, candidate_model,
                  baseline_endpoint, baseline_model, semantic, fingerprint, output_count, max_completed_at, result,
                  computed_at)
                values (:id, :sv, :run, :ce, :cm, :be, :bm, :sem, :fp, :n, :max, :json, :at)
                on conflict (suite_version_id, probe_run_id, candidate_endpoint, candidate_model, baseline_endpoint,
                             baseline_model, semantic)
                do update set fingerprint = excluded.fingerprint, output_count = excluded.output_count,
                  max_completed_at = excluded.max_completed_at, result = excluded.result,
                  computed_at = excluded.computed_at
                """), k).setParameter("id", UUID.randomUUID()).setParameter("fp", fingerprint)
                .setParameter("n", used.count()).setParameter("json", json).setParameter("at", report.computedAt());
        // typed: the newest completedAt is null when no output was used
        q.unwrap(org.hibernate.query.NativeQuery.class).setParameter("max", used.maxCompletedAt(), Instant.class);
        q.executeUpdate();
    }

    private static final String KEY_SQL = """
            suite_version_id = :sv and probe_run_id = :run and candidate_endpoint = :ce and candidate_model = :cm
              and baseline_endpoint = :be and baseline_model = :bm and semantic = :sem
            """;

    private static Query where(Query q, Key k) {
        return q.setParameter("sv", k.suiteVersionId()).setParameter("run", k.probeRunId())
                .setParameter("ce", k.candidateEndpoint()).setParameter("cm", k.candidateModel())
                .setParameter("be", k.baselineEndpoint()).setParameter("bm", k.baselineModel())
                .setParameter("sem", k.semantic());
    }
}
