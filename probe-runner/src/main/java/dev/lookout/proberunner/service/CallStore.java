package dev.lookout.proberunner.service;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.platform.outbox.EventFields;
import dev.lookout.proberunner.client.CallContext;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.messaging.CallMessage;
import dev.lookout.proberunner.messaging.EventTypes;
import dev.lookout.proberunner.messaging.OutboxWriter;
import dev.lookout.proberunner.repository.EndpointRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import dev.lookout.proberunner.rest.Dtos.ProbeDto;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The worker's hot path in plain JDBC, one statement per batch of calls rather than one transaction per call.
 *
 * <ul>
 * <li>{@link #load}: one indexed read of the batch's output rows (skips those no longer pending: re-delivery,
 * cancel); the per-(run, target) context — endpoint, decrypted API key, params + model, the suite version's probes —
 * comes from a bounded in-memory cache (endpoints and suite versions are immutable; a miss costs one small
 * transaction).</li>
 * <li>{@link #record}: one transaction per batch: a multi-row conditional update of the pending output rows (keyed
 * by id, {@code status = 'pending'}: a re-delivered call changes nothing), then per run an atomic
 * {@code done_count = done_count + n ... returning}; the update that brings done + errors to the total flips the
 * status to completed, so exactly one batch completes a run.</li>
 * </ul>
 */
@ApplicationScoped
public class CallStore {

    /** (run, target) contexts kept; a run has ≤ 8 targets, so this covers many concurrent runs. */
    static final int CONTEXT_CACHE_SIZE = 1024;

    /** What one call needs that is the same for every call of a (run, target). */
    record TargetContext(UUID endpointId, String baseUrl, String apiKey, int maxConcurrency, int timeoutMs,
            boolean stream, int maxResponseBytes, JsonObject baseBody, Map<String, ProbeDto> probes) {
    }

    private record TargetKey(UUID probeRunId, int targetIndex) {
    }

    /** The final state of one call to store. */
    public record Completed(UUID probeRunId, UUID outputId, OutputResult result) {
    }

    private final DataSource dataSource;
    private final ProbeRunRepository runs;
    private final EndpointRepository endpoints;
    private final SuiteService suites;
    private final EndpointService endpointService;
    private final ProbeRunService runService;
    private final OutboxWriter outbox;
    private final ObjectMapper mapper;

    private final Map<TargetKey, TargetContext> contexts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TargetKey, TargetContext> eldest) {
            return size() > CONTEXT_CACHE_SIZE;
        }
    };

    public CallStore(DataSource dataSource, ProbeRunRepository runs, EndpointRepository endpoints, SuiteService suites,
            EndpointService endpointService, ProbeRunService runService, OutboxWriter outbox, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.runs = runs;
        this.endpoints = endpoints;
        this.suites = suites;
        this.endpointService = endpointService;
        this.runService = runService;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /**
     * The call context of each message (same order), or null where the output is no longer pending or unknown.
     * Blocking: call on a worker thread.
     */
    public List<CallContext> load(List<CallMessage> calls) {
        record Row(UUID run, String probeId, int targetIndex, String status) {
        }
        Map<UUID, Row> rows = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select id, probe_run_id, probe_id, target_index, status from outputs where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", calls.stream().map(CallMessage::outputId).distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1, UUID.class), new Row(rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getInt(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading calls failed: " + e.getMessage(), e);
        }
        List<CallContext> result = new ArrayList<>(calls.size());
        for (CallMessage call : calls) {
            Row row = rows.get(call.outputId());
            if (row == null || !ProbeOutput.PENDING.equals(row.status()) || !row.run().equals(call.probeRunId())) {
                result.add(null);
                continue;
            }
            TargetContext t = context(row.run(), row.targetIndex());
            if (t == null) {
                result.add(null);
                continue;
            }
            ProbeDto probe = t.probes().get(row.probeId());
            if (probe == null) {
                throw new IllegalStateException("probe " + row.probeId() + " not in the run's suite version");
            }
            JsonArray messages = new JsonArray(new ArrayList<>(probe.messages().size()));
            probe.messages().forEach(m -> messages.add(new JsonObject().put("role", m.role()).put("content",
                    m.content())));
            JsonObject body = t.baseBody().copy().put("messages", messages);
            result.add(new CallContext(call.outputId(), row.run(), t.endpointId(), t.baseUrl(), t.apiKey(),
                    t.maxConcurrency(), t.timeoutMs(), body, probe.checks() == null ? List.of() : probe.checks(),
                    probe.followUps() == null ? List.of() : probe.followUps(), t.stream(), t.maxResponseBytes()));
        }
        return result;
    }

    private TargetContext context(UUID probeRunId, int targetIndex) {
        TargetKey key = new TargetKey(probeRunId, targetIndex);
        synchronized (contexts) {
            TargetContext cached = contexts.get(key);
            if (cached != null) {
                return cached;
            }
        }
        TargetContext loaded = QuarkusTransaction.requiringNew().call(() -> loadContext(probeRunId, targetIndex));
        if (loaded != null) {
            synchronized (contexts) {
                contexts.put(key, loaded);
            }
        }
        return loaded;
    }

    private TargetContext loadContext(UUID probeRunId, int targetIndex) {
        ProbeRun run = runs.findById(probeRunId);
        if (run == null || run.suiteVersionId == null) {
            return null;
        }
        Object[] target = (Object[]) runs.getEntityManager().createNativeQuery("""
                select cast(endpoint_id as text), model, cast(params_sent as text) from outputs
                where probe_run_id = :run and target_index = :t limit 1
                """).setParameter("run", probeRunId).setParameter("t", targetIndex).getResultStream().findFirst()
                .orElse(null);
        if (target == null) {
            return null;
        }
        Endpoint e = endpoints.findById(UUID.fromString((String) target[0]));
        SuiteVersion v = suites.findVersion(run.suiteVersionId).orElseThrow();
        Map<String, ProbeDto> probes = new HashMap<>();
        suites.probes(v).forEach(p -> probes.put(p.id(), p));
        JsonObject body = new JsonObject((String) target[2]).put("model", target[1]);
        return new TargetContext(e.id, e.baseUrl, endpointService.apiKey(e), e.maxConcurrency, e.timeoutMs, e.stream,
                e.maxResponseBytes == null ? 0 : e.maxResponseBytes, body, Map.copyOf(probes));
    }

    /**
     * Stores a batch of finished calls in one transaction; returns, per item, whether its output was still pending
     * (false: re-delivery or cancelled run, nothing changed). Completion and progress events are written to the
     * outbox in the same transaction. Blocking: call on a worker thread. Throws when the transaction fails (nothing
     * stored: the caller requeues every message).
     */
    public boolean[] record(List<Completed> items) {
        List<UUID> completedRuns = new ArrayList<>(1);
        boolean[] stored = QuarkusTransaction.requiringNew().call(() -> recordInTransaction(items, completedRuns));
        completedRuns.forEach(runService::summarizeAfterCommit);
        return stored;
    }

    private boolean[] recordInTransaction(List<Completed> items, List<UUID> completedRuns) throws SQLException {
        int n = items.size();
        UUID[] ids = new UUID[n];
        UUID[] runIds = new UUID[n];
        String[] status = new String[n];
        String[] text = new String[n];
        String[] reasoning = new String[n];
        String[] finish = new String[n];
        Integer[] pt = new Integer[n];
        Integer[] ct = new Integer[n];
        Long[] latency = new Long[n];
        String[] serverModel = new String[n];
        Integer[] attempts = new Integer[n];
        String[] error = new String[n];
        String[] checks = new String[n];
        String[] turns = new String[n];
        String[] fingerprints = new String[n];
        TreeMap<UUID, Boolean> runSet = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Completed item = items.get(i);
            OutputResult r = item.result();
            ids[i] = item.outputId();
            runIds[i] = item.probeRunId();
            runSet.put(item.probeRunId(), Boolean.TRUE);
            status[i] = r.error() == null ? ProbeOutput.DONE : ProbeOutput.ERROR;
            text[i] = r.text();
            reasoning[i] = r.reasoning();
            finish[i] = r.finishReason();
            pt[i] = r.promptTokens();
            ct[i] = r.completionTokens();
            latency[i] = r.latencyMs();
            serverModel[i] = r.serverModel();
            attempts[i] = r.attempts();
            error[i] = r.error();
            checks[i] = r.checks() == null ? null : write(r.checks());
            turns[i] = r.turns() == null || r.turns().isEmpty() ? null : write(r.turns());
            fingerprints[i] = r.systemFingerprint();
        }
        // the same connection as Hibernate's: Agroal hands out the connection enlisted in this JTA transaction
        try (Connection c = dataSource.getConnection()) {
            // run rows first, in id order (the same order as cancel: lock the run, then its outputs): no deadlock
            try (PreparedStatement lock = c.prepareStatement(
                    "select id from probe_runs where id = any(?) order by id for no key update")) {
                lock.setArray(1, c.createArrayOf("uuid", runSet.keySet().toArray()));
                lock.executeQuery().close();
            }
            Map<UUID, int[]> updatedByRun = new TreeMap<>();
            java.util.Set<UUID> updated = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    update outputs o set status = v.status, text = v.text, reasoning = v.reasoning,
                      finish_reason = v.finish, prompt_tokens = v.pt, completion_tokens = v.ct, latency_ms = v.latency,
                      server_model = v.server_model, attempts = v.attempts, error = v.error,
                      check_results = cast(v.checks as jsonb), turns = cast(v.turns as jsonb),
                      system_fingerprint = v.fingerprint, completed_at = now()
                    from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[],
                                ?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[])
                      as v(id, run, status, text, reasoning, finish, pt, ct, latency, server_model, attempts, error,
                           checks, turns, fingerprint)
                    where o.id = v.id and o.probe_run_id = v.run and o.status = 'pending'
                    returning o.id, o.probe_run_id, o.status
                    """)) {
                ps.setArray(1, array(c, "uuid", ids));
                ps.setArray(2, array(c, "uuid", runIds));
                ps.setArray(3, array(c, "text", status));
                ps.setArray(4, array(c, "text", text));
                ps.setArray(5, array(c, "text", reasoning));
                ps.setArray(6, array(c, "text", finish));
                ps.setArray(7, array(c, "int4", pt));
                ps.setArray(8, array(c, "int4", ct));
                ps.setArray(9, array(c, "int8", latency));
                ps.setArray(10, array(c, "text", serverModel));
                ps.setArray(11, array(c, "int4", attempts));
                ps.setArray(12, array(c, "text", error));
                ps.setArray(13, array(c, "text", checks));
                ps.setArray(14, array(c, "text", turns));
                ps.setArray(15, array(c, "text", fingerprints));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        updated.add(rs.getObject(1, UUID.class));
                        int[] counts = updatedByRun.computeIfAbsent(rs.getObject(2, UUID.class), k -> new int[2]);
                        counts[ProbeOutput.DONE.equals(rs.getString(3)) ? 0 : 1]++;
                    }
                }
            }
            for (Map.Entry<UUID, int[]> run : updatedByRun.entrySet()) {
                if (count(c, run.getKey(), run.getValue()[0], run.getValue()[1])) {
                    completedRuns.add(run.getKey());
                }
            }
            boolean[] result = new boolean[n];
            java.util.Set<UUID> seen = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                // a duplicate within the batch (re-delivery) is stored once: only its first copy counts as stored
                result[i] = updated.contains(ids[i]) && seen.add(ids[i]);
            }
            return result;
        }
    }

    /**
     * Atomic progress count; the one update that reaches the total completes the run (exactly once): returns true
     * for that one.
     */
    private boolean count(Connection c, UUID runId, int done, int errors) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update probe_runs set done_count = done_count + ?, error_count = error_count + ?,
                  status = case when done_count + error_count + ? >= total then 'completed'
                                when status = 'queued' then 'running' else status end,
                  last_progress_at = case when last_progress_at is null
                                            or last_progress_at < now() - interval '1 second' then now()
                                          else last_progress_at end
                where id = ? and status in ('queued', 'running')
                returning status, done_count, error_count, total, project, last_progress_at = now()
                """)) {
            ps.setInt(1, done);
            ps.setInt(2, errors);
            ps.setInt(3, done + errors);
            ps.setObject(4, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false; // cancelled meanwhile (its outputs are no longer pending, so nothing was stored)
                }
                if (ProbeRun.COMPLETED.equals(rs.getString(1))) {
                    runService.completeCounted(runId);
                    return true;
                }
                if (rs.getBoolean(6)) {
                    outbox.append(EventTypes.PROBE_RUN_PROGRESSED, rs.getString(5), EventFields.of()
                            .with("probeRunId", runId.toString()).with("done", rs.getInt(2))
                            .with("errors", rs.getInt(3)).with("total", rs.getInt(4)));
                }
                return false;
            }
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON");
        }
    }
}
