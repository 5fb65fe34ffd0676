package dev.lookout.proberunner.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.lookout.proberunner.entity.ProbeRun;
import dev.lookout.proberunner.repository.ProcessedEventRepository;
import dev.lookout.proberunner.service.CheckpointRuns;
import dev.lookout.proberunner.service.ModelListCheck;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.json.JsonObject;

/**
 * checkpoint.registered (ingest.events) → a probe run of the checkpoint against its baseline. Idempotent on
 * eventId (processed_event, same transaction as the run). A missing endpoint or suite records a failed probe run
 * instead of failing the message; anything unexpected nacks it → probe-runner.checkpoint.registered.dlq. Once the run
 * committed, {@link ModelListCheck} warns on it about target models their endpoint does not list. A checkpoint
 * served as a LoRA adapter ({@code adapter: {path, endpoint, name}}) is probed once the runner loaded it
 * ({@link dev.lookout.proberunner.service.AdapterLifecycle}).
 */
@ApplicationScoped
public class CheckpointRegisteredConsumer {

    private static final Logger LOG = Logger.getLogger(CheckpointRegisteredConsumer.class);

    private final CheckpointRuns runs;
    private final ProcessedEventRepository processed;
    private final ModelListCheck modelList;

    public CheckpointRegisteredConsumer(CheckpointRuns runs, ProcessedEventRepository processed,
            ModelListCheck modelList) {
        this.runs = runs;
        this.processed = processed;
        this.modelList = modelList;
    }

    @Incoming(Channels.CHECKPOINT_REGISTERED)
    @Blocking
    @Transactional
    public void onCheckpointRegistered(Object payload) {
        JsonObject event = CallWorker.toJson(payload);
        UUID eventId = UUID.fromString(event.getString("eventId"));
        if (!processed.markFirstSeen(eventId)) {
            LOG.debugf("checkpoint.registered %s already processed", eventId);
            return;
        }
        if (event.getString("project") == null) {
            throw new IllegalArgumentException("checkpoint.registered " + eventId + " has no project");
        }
        ProbeRun run = runs.startForCheckpoint(event);
        if (run != null) {
            // asked after commit: the message never waits on a model server. An adapter is listed only once loaded:
            // its target is left out (a failed load says more than a warning would)
            modelList.schedule(run, event.getValue("adapter") instanceof JsonObject ? withoutTarget(event) : event);
        }
    }

    private static JsonObject withoutTarget(JsonObject event) {
        JsonObject copy = event.copy();
        copy.remove("target");
        return copy;
    }
}
