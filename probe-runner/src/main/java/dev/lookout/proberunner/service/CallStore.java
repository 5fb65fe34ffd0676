package dev.lookout.proberunner.service;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.platform.outbox.EventFields;
import dev.lookout.proberunner.client.CallContext;
import dev.lookout.proberunner.domain.Probe;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.messaging.CallMessage;
import dev.lookout.proberunner.messaging.EventTypes;
import dev.lookout.proberunner.messaging.OutboxWriter;
import dev.lookout.proberunner.repository.CallBatchRepository;
import dev.lookout.proberunner.repository.CallBatchRepository.CallRow;
import dev.lookout.proberunner.repository.EndpointRepository;
import dev.lookout.proberunner.repository.ProbeRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The worker's hot path: one statement per batch of calls rather than one transaction per call (the SQL is in
 * {@link CallBatchRepository}).
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
            boolean stream, int maxResponseBytes, JsonObject baseBody, Map<String, Probe> probes) {
    }

    private record TargetKey(UUID probeRunId, int targetIndex) {
    }

    /** The final state of one call to store. */
    public record Completed(UUID probeRunId, UUID outputId, OutputResult result) {
    }

    private final CallBatchRepository batches;
    private final ProbeRunRepository runs;
    private final EndpointRepository endpoints;
    private final SuiteService suites;
    private final EndpointService endpointService;
    private final RunCompletion completion;
    private final OutboxWriter outbox;
    private final ObjectMapper mapper;

    private final Map<TargetKey, TargetContext> contexts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TargetKey, TargetContext> eldest) {
            return size() > CONTEXT_CACHE_SIZE;
        }
    };

    public CallStore(CallBatchRepository batches, ProbeRunRepository runs, EndpointRepository endpoints,
            SuiteService suites, EndpointService endpointService, RunCompletion completion, OutboxWriter outbox,
            ObjectMapper mapper) {
        this.batches = batches;
        this.runs = runs;
        this.endpoints = endpoints;
        this.suites = suites;
        this.endpointService = endpointService;
        this.completion = completion;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /**
     * The call context of each message (same order), or null where the output is no longer pending or unknown.
     * Blocking: call on a worker thread.
     */
    public List<CallContext> load(List<CallMessage> calls) {
        Map<UUID, CallRow> rows = batches.rows(calls.stream().map(CallMessage::outputId).distinct().toList());
        List<CallContext> result = new ArrayList<>(calls.size());
        for (CallMessage call : calls) {
            CallRow row = rows.get(call.outputId());
            if (row == null || !ProbeOutput.PENDING.equals(row.status())
                    || !row.probeRunId().equals(call.probeRunId())) {
                result.add(null);
                continue;
            }
            TargetContext t = context(row.probeRunId(), row.targetIndex());
            result.add(t == null ? null : callContext(call, row, t));
        }
        return result;
    }

    private static CallContext callContext(CallMessage call, CallRow row, TargetContext t) {
        Probe probe = t.probes().get(row.probeId());
        if (probe == null) {
            throw new IllegalStateException("probe " + row.probeId() + " not in the run's suite version");
        }
        JsonArray messages = new JsonArray(new ArrayList<>(probe.messages().size()));
        probe.messages().forEach(m -> messages.add(new JsonObject().put("role", m.role()).put("content",
                m.content())));
        JsonObject body = t.baseBody().copy().put("messages", messages);
        return new CallContext(call.outputId(), row.probeRunId(), t.endpointId(), t.baseUrl(), t.apiKey(),
                t.maxConcurrency(), t.timeoutMs(), body, probe.checks() == null ? List.of() : probe.checks(),
                probe.followUps() == null ? List.of() : probe.followUps(), t.stream(), t.maxResponseBytes());
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
        CallBatchRepository.TargetRow target = batches.target(probeRunId, targetIndex).orElse(null);
        if (target == null) {
            return null;
        }
        Endpoint e = endpoints.findById(target.endpointId());
        SuiteVersion v = suites.findVersion(run.suiteVersionId).orElseThrow();
        Map<String, Probe> probes = new HashMap<>();
        suites.probes(v).forEach(p -> probes.put(p.id(), p));
        JsonObject body = new JsonObject(target.paramsJson()).put("model", target.model());
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
        completedRuns.forEach(completion::summarizeAfterCommit);
        return stored;
    }

    private boolean[] recordInTransaction(List<Completed> items, List<UUID> completedRuns) throws SQLException {
        CallBatchRepository.Results results = results(items);
        // run rows first, in id order (the same order as cancel: lock the run, then its outputs): no deadlock
        batches.lockRuns(new TreeSet<>(List.of(results.runIds())));
        Map<UUID, int[]> updatedByRun = new TreeMap<>();
        Set<UUID> updated = new HashSet<>();
        for (CallBatchRepository.Stored s : batches.store(results)) {
            updated.add(s.outputId());
            int[] counts = updatedByRun.computeIfAbsent(s.probeRunId(), k -> new int[2]);
            counts[ProbeOutput.DONE.equals(s.status()) ? 0 : 1]++;
        }
        for (Map.Entry<UUID, int[]> run : updatedByRun.entrySet()) {
            if (count(run.getKey(), run.getValue()[0], run.getValue()[1])) {
                completedRuns.add(run.getKey());
            }
        }
        boolean[] result = new boolean[items.size()];
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < result.length; i++) {
            // a duplicate within the batch (re-delivery) is stored once: only its first copy counts as stored
            UUID id = results.ids()[i];
            result[i] = updated.contains(id) && seen.add(id);
        }
        return result;
    }

    /** The batch as columns, one element per item. */
    private CallBatchRepository.Results results(List<Completed> items) {
        int n = items.size();
        CallBatchRepository.Results r = new CallBatchRepository.Results(new UUID[n], new UUID[n], new String[n],
                new String[n], new String[n], new String[n], new Integer[n], new Integer[n], new Long[n],
                new String[n], new Integer[n], new String[n], new String[n], new String[n], new String[n]);
        for (int i = 0; i < n; i++) {
            Completed item = items.get(i);
            OutputResult o = item.result();
            r.ids()[i] = item.outputId();
            r.runIds()[i] = item.probeRunId();
            r.status()[i] = o.error() == null ? ProbeOutput.DONE : ProbeOutput.ERROR;
            r.text()[i] = o.text();
            r.reasoning()[i] = o.reasoning();
            r.finish()[i] = o.finishReason();
            r.promptTokens()[i] = o.promptTokens();
            r.completionTokens()[i] = o.completionTokens();
            r.latency()[i] = o.latencyMs();
            r.serverModel()[i] = o.serverModel();
            r.attempts()[i] = o.attempts();
            r.error()[i] = o.error();
            r.checks()[i] = o.checks() == null ? null : write(o.checks());
            r.turns()[i] = o.turns() == null || o.turns().isEmpty() ? null : write(o.turns());
            r.fingerprints()[i] = o.systemFingerprint();
        }
        return r;
    }

    /**
     * Atomic progress count; the one update that reaches the total completes the run (exactly once): returns true
     * for that one.
     */
    private boolean count(UUID runId, int done, int errors) throws SQLException {
        CallBatchRepository.RunCounts counts = batches.count(runId, done, errors).orElse(null);
        if (counts == null) {
            return false; // cancelled meanwhile (its outputs are no longer pending, so nothing was stored)
        }
        if (ProbeRun.COMPLETED.equals(counts.status())) {
            completion.completeCounted(runId);
            return true;
        }
        if (counts.progressed()) {
            outbox.append(EventTypes.PROBE_RUN_PROGRESSED, counts.project(), EventFields.of()
                    .with("probeRunId", runId.toString()).with("done", counts.done())
                    .with("errors", counts.errors()).with("total", counts.total()));
        }
        return false;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON");
        }
    }
}
