package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lookout.proberunner.entity.ProbeOutput;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.repository.OutputRepository;
import dev.lookout.proberunner.service.ProbeRunStarter.Origin;
import dev.lookout.proberunner.service.ProbeRunStarter.ResolvedTarget;

/**
 * Per target of a new run: the params it is called with, its role and the earlier answers it may reuse instead of
 * asking again. Call in the starting transaction.
 */
@ApplicationScoped
public class ReusePlanner {

    private static final Logger LOG = Logger.getLogger(ReusePlanner.class);

    /** Target roles: a checkpoint run labels them; in a manual run target 0 is the candidate and 1 the baseline. */
    static final String CANDIDATE = "candidate";
    static final String BASELINE = "baseline";

    /**
     * Per target: the params it is called with, its role (candidate | baseline | other), the weights root the server
     * reports for it now (null: unknown) and the answers reusable from earlier runs (by "probeId#sample").
     */
    record TargetPlan(ResolvedTarget target, String role, Map<String, Object> paramsSent, String paramsKey,
            String weightsRoot, Map<String, ProbeOutput> reusable) {
    }

    private final OutputRepository outputs;
    private final WeightsIdentity identity;

    public ReusePlanner(OutputRepository outputs, WeightsIdentity identity) {
        this.outputs = outputs;
        this.identity = identity;
    }

    /** The plans of the targets, in order; asks each endpoint at most once what it reports about the weights. */
    List<TargetPlan> plans(SuiteVersion version, List<ResolvedTarget> targets, int samples, Origin origin) {
        // what the servers report about the weights, once per endpoint, for the targets whose answers can be reused
        // now or later (a manual run's candidate on a mutable endpoint never is: no request to its server)
        Map<UUID, Map<String, String>> roots = new HashMap<>();
        List<TargetPlan> plans = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ResolvedTarget t = targets.get(i);
            String role = role(origin, t, i);
            // an adapter is not loaded yet: vLLM will report its path as its root
            String rootNow = t.adapterPath() != null ? t.adapterPath()
                    : reusable(t, role, origin)
                            ? roots.computeIfAbsent(t.endpoint().id, id -> identity.roots(t.endpoint())).get(t.model())
                            : null;
            plans.add(plan(version, t, samples, role, i, origin, rootNow));
        }
        return plans;
    }

    private static String role(Origin origin, ResolvedTarget t, int index) {
        if (origin.checkpointId() != null && (CANDIDATE.equals(t.label()) || BASELINE.equals(t.label()))) {
            return t.label();
        }
        return index == 0 ? CANDIDATE : index == 1 ? BASELINE : "other";
    }

    /** Whether the target's answers may ever be reused (see {@link #plan}). */
    private static boolean reusable(ResolvedTarget t, String role, Origin origin) {
        return t.endpoint().immutableModels || BASELINE.equals(role) || origin.checkpointId() != null;
    }

    /**
     * Which earlier answers the target may reuse: only those of targets that cannot have changed — a run's baseline,
     * any model of an endpoint declaring immutableModels, or the same checkpoint probed again — and only when what
     * the server reports about the weights now ({@code root}, {@code system_fingerprint}) matches what was stored
     * with the answer. A checkpoint's candidate is otherwise asked afresh, even under a model name asked before.
     */
    private TargetPlan plan(SuiteVersion version, ResolvedTarget t, int samples, String role, int index,
            Origin origin, String rootNow) {
        Map<String, Object> params = new LinkedHashMap<>(t.endpoint().params);
        params.putAll(t.endpoint().extraBody);
        String paramsSent = CanonicalJson.write(params);
        String paramsKey = CanonicalJson.sha256(paramsSent);
        OutputRepository.ReuseScope scope = new OutputRepository.ReuseScope(t.endpoint().immutableModels,
                BASELINE.equals(role), origin.checkpointId(), index);
        List<ProbeOutput> found = outputs.findReusable(version.id, t.endpoint().id, t.model(), paramsKey, samples,
                scope);
        String fingerprintNow = found.stream().anyMatch(o -> o.systemFingerprint != null)
                ? identity.fingerprint(t.endpoint(), t.model(), paramsSent)
                : null;
        Map<String, ProbeOutput> reusable = new HashMap<>();
        int refused = 0;
        for (ProbeOutput o : found) {
            if (WeightsIdentity.sameWeights(o.weightsRoot, o.systemFingerprint, rootNow, fingerprintNow)) {
                reusable.put(o.probeId + "#" + o.sample, o);
            } else {
                refused++;
            }
        }
        if (refused > 0) {
            LOG.infof("%s/%s: %d earlier answers not reused, the weights changed (root %s, fingerprint %s)",
                    t.endpoint().name, t.model(), refused, rootNow, fingerprintNow);
        }
        return new TargetPlan(t, role, params, paramsKey, rootNow, reusable);
    }
}
