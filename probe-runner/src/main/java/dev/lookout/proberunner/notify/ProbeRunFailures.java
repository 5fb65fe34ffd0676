package dev.lookout.proberunner.notify;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.entity.ProbeRun;

/**
 * A probe run that failed publishes no probe-run.completed (nothing to review), yet its webhooks hear of it: called in
 * the transaction that marks the run failed, this queues a probe-run.completed notification with
 * {@code details.status = failed} and the reason. Its event id is derived from the run, so a run is announced failed
 * at most once.
 */
@ApplicationScoped
public class ProbeRunFailures {

    private final DeliveryQueue queue;
    private final WebhookEventConsumer names;

    public ProbeRunFailures(DeliveryQueue queue, WebhookEventConsumer names) {
        this.queue = queue;
        this.names = names;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void failed(ProbeRun run) {
        UUID eventId = UUID.nameUUIDFromBytes(("probe-run.failed:" + run.id).getBytes(StandardCharsets.UTF_8));
        queue.fanOut(eventId, "probe-run.failed", EventNotifications.probeRunFailed(eventId, run.project, run.id,
                run.runId, names.runName(run.runId), run.checkpointId, run.step, run.failureReason));
    }
}
