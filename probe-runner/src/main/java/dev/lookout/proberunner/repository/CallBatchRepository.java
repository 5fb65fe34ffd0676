package dev.lookout.proberunner.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The workers' hot path in plain JDBC: one statement per batch of calls. Inside a JTA transaction every method uses
 * the connection enlisted in it (Agroal hands out the same one as Hibernate's), so a caller's transaction spans them.
 */
@ApplicationScoped
public class CallBatchRepository {

    /** An output row as the worker sees it before a call. */
    public record CallRow(UUID probeRunId, String probeId, int targetIndex, String status) {
    }

    /** What every output of one (run, target) shares: the endpoint, the model and the params sent (JSON). */
    public record TargetRow(UUID endpointId, String model, String paramsJson) {
    }

    /**
     * The final state of a batch of calls, one array element per call (same index in every array); {@code checks}
     * and {@code turns} as JSON text.
     */
    public record Results(UUID[] ids, UUID[] runIds, String[] status, String[] text, String[] reasoning,
            String[] finish, Integer[] promptTokens, Integer[] completionTokens, Long[] latency, String[] serverModel,
            Integer[] attempts, String[] error, String[] checks, String[] turns, String[] fingerprints) {
    }

    /** One output row the batch update changed. */
    public record Stored(UUID outputId, UUID probeRunId, String status) {
    }

    /** A run's counters after a progress update; {@code progressed}: its last_progress_at moved just now. */
    public record RunCounts(String status, int done, int errors, int total, String project, boolean progressed) {
    }

    private final DataSource dataSource;

    public CallBatchRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The rows of these outputs (unknown ids are absent). */
    public Map<UUID, CallRow> rows(Collection<UUID> outputIds) {
        Map<UUID, CallRow> rows = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select id, probe_run_id, probe_id, target_index, status from outputs where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", outputIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1, UUID.class), new CallRow(rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getInt(4), rs.getString(5)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("loading calls failed: " + e.getMessage(), e);
        }
    }

    /** The endpoint, model and params of a run's target (from any of its outputs); empty when it has none. */
    public Optional<TargetRow> target(UUID probeRunId, int targetIndex) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        select endpoint_id, model, cast(params_sent as text) from outputs
                        where probe_run_id = ? and target_index = ? limit 1
                        """)) {
            ps.setObject(1, probeRunId);
            ps.setInt(2, targetIndex);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new TargetRow(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading a call target failed: " + e.getMessage(), e);
        }
    }

    /**
     * Locks the run rows in id order (the same order as cancel: the run, then its outputs), so that batches touching
     * the same runs never deadlock. Call in a transaction.
     */
    public void lockRuns(Collection<UUID> sortedRunIds) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement lock = c.prepareStatement(
                        "select id from probe_runs where id = any(?) order by id for no key update")) {
            lock.setArray(1, c.createArrayOf("uuid", sortedRunIds.toArray()));
            lock.executeQuery().close();
        }
    }

    /**
     * One multi-row conditional update of the outputs still pending (keyed by id and run: a re-delivered call
     * changes nothing); returns the rows it changed. Call in a transaction.
     */
    public List<Stored> store(Results r) throws SQLException {
        List<Stored> stored = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
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
            Object[][] columns = { r.ids(), r.runIds(), r.status(), r.text(), r.reasoning(), r.finish(),
                    r.promptTokens(), r.completionTokens(), r.latency(), r.serverModel(), r.attempts(), r.error(),
                    r.checks(), r.turns(), r.fingerprints() };
            String[] types = { "uuid", "uuid", "text", "text", "text", "text", "int4", "int4", "int8", "text", "int4",
                    "text", "text", "text", "text" };
            for (int i = 0; i < columns.length; i++) {
                ps.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(new Stored(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)));
                }
            }
        }
        return stored;
    }

    /**
     * Atomic progress count of a queued or running run; the one update that reaches the total flips it to completed
     * (exactly once). Empty when the run is neither (cancelled meanwhile). Call in a transaction.
     */
    public Optional<RunCounts> count(UUID runId, int done, int errors) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
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
                return rs.next() ? Optional.of(new RunCounts(rs.getString(1), rs.getInt(2), rs.getInt(3),
                        rs.getInt(4), rs.getString(5), rs.getBoolean(6))) : Optional.empty();
            }
        }
    }
}
