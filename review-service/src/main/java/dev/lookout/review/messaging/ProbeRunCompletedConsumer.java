package dev.lookout.review.messaging;

import dev.lookout.review.service.BatchService;
import dev.lookout.review.service.Target;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.UUID;

/**
 * probe-run.completed → review batch. The payload arrives as a JsonObject (STACK pitfall 1); unknown fields are
 * ignored. A failure nacks the message, which then goes to the dead-letter queue.
 */
@ApplicationScoped
public class ProbeRunCompletedConsumer {

    private final BatchService batches;

    public ProbeRunCompletedConsumer(BatchService batches) {
        this.batches = batches;
    }

    @Incoming(Channels.PROBE_RUN_COMPLETED)
    @Blocking
    @ActivateRequestContext
    public void onProbeRunCompleted(JsonObject event) {
        UUID eventId = uuid(event, "eventId", true);
        String project = event.getString("project");
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("probe-run.completed without project");
        }
        Number step = event.getValue("step") instanceof Number n ? n : null;
        BatchService.Source source = new BatchService.Source(
                project,
                uuid(event, "probeRunId", true),
                uuid(event, "runId", false),
                uuid(event, "checkpointId", false),
                step == null ? null : step.longValue(),
                uuid(event, "suiteVersionId", false),
                target(event.getValue("candidate")),
                target(event.getValue("baseline")));
        batches.onProbeRunCompleted(eventId, source);
    }

    private static Target target(Object value) {
        if (value instanceof JsonObject o) {
            String endpoint = o.getString("endpoint");
            String model = o.getString("model");
            return endpoint == null || model == null ? null : new Target(endpoint, model);
        }
        return value instanceof String s ? Target.parse(s) : null;
    }

    private static UUID uuid(JsonObject event, String field, boolean required) {
        Object value = event.getValue(field);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("probe-run.completed without " + field);
            }
            return null;
        }
        return UUID.fromString(value.toString());
    }
}
