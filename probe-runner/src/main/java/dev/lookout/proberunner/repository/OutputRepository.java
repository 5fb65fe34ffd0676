package dev.lookout.proberunner.repository;

import java.util.List;
import java.util.UUID;

import java.sql.PreparedStatement;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

import dev.lookout.proberunner.domain.ReuseSource;
import dev.lookout.proberunner.entity.ProbeOutput;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.vertx.core.json.JsonObject;

@ApplicationScoped
public class OutputRepository implements PanacheRepositoryBase<ProbeOutput, UUID> {

    /** Inserts pending outputs (not managed afterwards) in one statement, in the current transaction. */
    public void insertPending(List<ProbeOutput> rows) {
        getEntityManager().unwrap(Session.class).doWork(c -> {
            int n = rows.size();
            Object[] ids = new Object[n];
            Object[] runs = new Object[n];
            Object[] probes = new Object[n];
            Object[] targets = new Object[n];
            Object[] endpoints = new Object[n];
            Object[] endpointNames = new Object[n];
            Object[] models = new Object[n];
            Object[] samples = new Object[n];
            Object[] params = new Object[n];
            Object[] paramsKeys = new Object[n];
            Object[] roots = new Object[n];
            java.util.Map<java.util.Map<String, Object>, String> written = new java.util.IdentityHashMap<>();
            for (int i = 0; i < n; i++) {
                ProbeOutput o = rows.get(i);
                ids[i] = o.id;
                runs[i] = o.probeRunId;
                probes[i] = o.probeId;
                targets[i] = o.targetIndex;
                endpoints[i] = o.endpointId;
                endpointNames[i] = o.endpointName;
                models[i] = o.model;
                samples[i] = o.sample;
                // the rows of one target share their params: written once per distinct map
                params[i] = written.computeIfAbsent(o.paramsSent, p -> new JsonObject(p).encode());
                paramsKeys[i] = o.paramsKey;
                roots[i] = o.weightsRoot;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into outputs (id, probe_run_id, probe_id, target_index, endpoint_id, endpoint_name, model,
                      sample, params_sent, params_key, weights_root, status, attempts, created_at)
                    select id, run, probe, target, endpoint, endpoint_name, model, sample, cast(params as jsonb),
                      params_key, root, 'pending', 0, now()
                    from unnest(?::uuid[], ?::uuid[], ?::text[], ?::int[], ?::uuid[], ?::text[], ?::text[], ?::int[],
                                ?::text[], ?::text[], ?::text[])
                      as t(id, run, probe, target, endpoint, endpoint_name, model, sample, params, params_key, root)
                    """)) {
                ps.setArray(1, c.createArrayOf("uuid", ids));
                ps.setArray(2, c.createArrayOf("uuid", runs));
                ps.setArray(3, c.createArrayOf("text", probes));
                ps.setArray(4, c.createArrayOf("int4", targets));
                ps.setArray(5, c.createArrayOf("uuid", endpoints));
                ps.setArray(6, c.createArrayOf("text", endpointNames));
                ps.setArray(7, c.createArrayOf("text", models));
                ps.setArray(8, c.createArrayOf("int4", samples));
                ps.setArray(9, c.createArrayOf("text", params));
                ps.setArray(10, c.createArrayOf("text", paramsKeys));
                ps.setArray(11, c.createArrayOf("text", roots));
                ps.executeUpdate();
            }
        });
    }

    /**
     * For the ETA: {finished calls, span seconds} where the span is now − max(run start, now − window) and finished
     * counts outputs of the run completed within it that were really called (not reused). Times from the database
     * clock only.
     */
    public double[] recentCompletions(UUID probeRunId, java.time.Duration window) {
        Object[] row = (Object[]) getEntityManager().createNativeQuery("""
                select count(o.id), extract(epoch from now() - w.since)
                from (select greatest(r.created_at, now() - make_interval(secs => :win)) as since
                      from probe_runs r where r.id = :run) w
                left join outputs o on o.probe_run_id = :run and o.reused_from is null and o.completed_at >= w.since
                group by w.since
                """).setParameter("run", probeRunId).setParameter("win", window.toMillis() / 1000.0)
                .getResultStream().findFirst().orElse(null);
        return row == null ? new double[] { 0, 0 }
                : new double[] { ((Number) row[0]).doubleValue(), ((Number) row[1]).doubleValue() };
    }

    public List<ProbeOutput> listByRun(UUID probeRunId) {
        return list("probeRunId = ?1 order by probeId, targetIndex, sample", probeRunId);
    }

    /**
     * Which earlier answers a target may reuse. {@code anyRun}: any (the endpoint's model names are immutable);
     * {@code baselines}: answers given as a run's baseline (target role "baseline"); {@code checkpointId} (nullable):
     * answers of the same checkpoint at the same target index. Nothing when all three are off.
     */
    public record ReuseScope(boolean anyRun, boolean baselines, UUID checkpointId, int targetIndex) {

        public boolean none() {
            return !anyRun && !baselines && checkpointId == null;
        }
    }

    /**
     * Finished answers of earlier completed runs of the same suite version, target and params within {@code scope}
     * (per probe and sample the newest).
     */
    @SuppressWarnings("unchecked")
    public List<ProbeOutput> findReusable(UUID suiteVersionId, UUID endpointId, String model, String paramsKey,
            int samples, ReuseScope scope) {
        if (scope.none()) {
            return List.of();
        }
        List<String> sources = new java.util.ArrayList<>();
        if (scope.anyRun()) {
            sources.add("true");
        }
        if (scope.baselines()) {
            sources.add("r.targets -> o.target_index ->> 'role' = 'baseline'");
        }
        if (scope.checkpointId() != null) {
            sources.add("(r.checkpoint_id = :cp and o.target_index = :ti)");
        }
        String sql = """
                select distinct on (o.probe_id, o.sample) o.* from outputs o
                join probe_runs r on r.id = o.probe_run_id
                where r.suite_version_id = :sv and r.status = 'completed' and o.endpoint_id = :e
                  and o.model = :m and o.params_key = :pk and o.status = 'done' and o.sample < :samples
                  and (%s)
                order by o.probe_id, o.sample, o.completed_at desc
                """.formatted(String.join(" or ", sources)); // fixed fragments only, never user input
        var query = getEntityManager().createNativeQuery(sql, ProbeOutput.class)
                .setParameter("sv", suiteVersionId).setParameter("e", endpointId).setParameter("m", model)
                .setParameter("pk", paramsKey).setParameter("samples", samples);
        if (scope.checkpointId() != null) {
            query.setParameter("cp", scope.checkpointId()).setParameter("ti", scope.targetIndex());
        }
        return query.getResultList();
    }

    /** Where reused answers were asked: source output id → its probe run, checkpoint and step. */
    public java.util.Map<UUID, ReuseSource> sources(java.util.Collection<UUID> outputIds) {
        java.util.Map<UUID, ReuseSource> found = new java.util.HashMap<>();
        if (outputIds.isEmpty()) {
            return found;
        }
        List<?> rows = getEntityManager().createNativeQuery("""
                select cast(o.id as text), cast(r.id as text), cast(r.checkpoint_id as text), r.step from outputs o
                join probe_runs r on r.id = o.probe_run_id where o.id in (:ids)
                """).setParameter("ids", outputIds).getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            UUID id = UUID.fromString((String) r[0]);
            found.put(id, new ReuseSource(id, UUID.fromString((String) r[1]),
                    r[2] == null ? null : UUID.fromString((String) r[2]),
                    r[3] == null ? null : ((Number) r[3]).longValue()));
        }
        return found;
    }

    /** Newest finished outputs for one target of a suite version, from completed runs (sample 0). */
    @SuppressWarnings("unchecked")
    public List<ProbeOutput> latestForTarget(UUID suiteVersionId, String project, String endpointName, String model) {
        return getEntityManager().createNativeQuery("""
                select distinct on (o.probe_id) o.* from outputs o
                join probe_runs r on r.id = o.probe_run_id
                where r.suite_version_id = :sv and r.project = :p and r.status = 'completed'
                  and o.endpoint_name = :e and o.model = :m and o.sample = 0 and o.status in ('done', 'error')
                order by o.probe_id, o.completed_at desc, o.id desc
                """, ProbeOutput.class)
                .setParameter("sv", suiteVersionId).setParameter("p", project).setParameter("e", endpointName)
                .setParameter("m", model).getResultList();
    }

    /** Per target of a run: its outputs, how many are done, and the first error stored (by completion time). */
    public record TargetTally(int targetIndex, long total, long done, String firstError) {
    }

    public List<TargetTally> tallyByTarget(UUID probeRunId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                select target_index, count(*), count(*) filter (where status = 'done'),
                       (array_agg(error order by completed_at, id) filter (where status = 'error'))[1]
                from outputs where probe_run_id = :id group by target_index order by target_index
                """).setParameter("id", probeRunId).getResultList();
        return rows.stream().map(r -> new TargetTally(((Number) r[0]).intValue(), ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue(), (String) r[3])).toList();
    }
}
