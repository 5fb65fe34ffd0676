package dev.lookout.gateway.messaging;

import dev.lookout.gateway.service.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Every event of ingest.events, probe-runner.events and review.events (routing key {@code #}) fanned out to the
 * SSE subscribers of this gateway instance. Nothing is stored: a browser that was not listening reloads data.
 */
@ApplicationScoped
public class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class);
    private final BroadcastProcessor<JsonObject> processor = BroadcastProcessor.create();

    @Incoming(Channels.LIVE_INGEST)
    CompletionStage<Void> fromIngest(Message<Object> message) {
        return publish(message);
    }

    @Incoming(Channels.LIVE_PROBE_RUNNER)
    CompletionStage<Void> fromProbeRunner(Message<Object> message) {
        return publish(message);
    }

    @Incoming(Channels.LIVE_REVIEW)
    CompletionStage<Void> fromReview(Message<Object> message) {
        return publish(message);
    }

    /**
     * Events visible to the caller: only their projects (admin and service: all). A reviewer-only caller gets no
     * {@code verdict.updated}: a live count right after their own vote would tell them which side was the candidate.
     */
    public Multi<JsonObject> stream(Caller caller) {
        return processor.filter(event -> visibleTo(event, caller));
    }

    static final String VERDICT_UPDATED = "verdict.updated";

    public static boolean visibleTo(JsonObject event, Caller caller) {
        return event != null && caller.canSee(event.getString("project"))
                && !(caller.reviewerOnly() && VERDICT_UPDATED.equals(event.getString("type")));
    }

    private CompletionStage<Void> publish(Message<Object> message) {
        JsonObject event = toJson(message.getPayload());
        if (event != null && event.getString("type") != null) {
            processor.onNext(event);
        } else {
            LOG.debug("ignored a live event without JSON body or type");
        }
        return message.ack();
    }

    static JsonObject toJson(Object payload) {
        try {
            if (payload instanceof JsonObject json) {
                return json;
            }
            if (payload instanceof byte[] bytes) {
                return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
            }
            if (payload instanceof Buffer buffer) {
                return buffer.toJsonObject();
            }
            if (payload instanceof String text) {
                return new JsonObject(text);
            }
        } catch (RuntimeException e) {
            LOG.debugf("ignored a live event that is not a JSON object: %s", e.getMessage());
        }
        return null;
    }
}
