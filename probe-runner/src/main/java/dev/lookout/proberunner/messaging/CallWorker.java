package dev.lookout.proberunner.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import dev.lookout.proberunner.client.CallContext;
import dev.lookout.proberunner.client.CallOutcome;
import dev.lookout.proberunner.client.ChatCompletion;
import dev.lookout.proberunner.client.EndpointLimiter;
import dev.lookout.proberunner.client.ModelClient;
import dev.lookout.proberunner.client.RetryPolicy;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.rest.Dtos.TurnDto;
import dev.lookout.proberunner.service.CancelledRuns;
import dev.lookout.proberunner.service.CheckEvaluator;
import dev.lookout.proberunner.service.OutputResult;
import dev.lookout.proberunner.service.ProbeRunService;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Consumes probe-runner.calls. The method returns at once (the event loop is never blocked); each message is then
 * processed asynchronously: DB reads/writes on worker threads, the HTTP call on the event loop through the
 * per-endpoint {@link EndpointLimiter}. A message is acked only after its output row is committed.
 *
 * <p>Retries (429, 5xx, timeouts): the call is published with attempt+1 to a delay queue ({@link RetryQueues}:
 * exponential backoff with jitter, never shorter than Retry-After) whose TTL dead-letters it back to the work
 * exchange; the original is acked once the broker confirms. No timer, no sleeping thread.
 * After the last attempt the error is stored as the output and the message is rejected → probe-runner.calls.dlq.
 */
@ApplicationScoped
public class CallWorker {

    private static final Logger LOG = Logger.getLogger(CallWorker.class);

    private final ProbeRunService runs;
    private final ModelClient client;
    private final EndpointLimiter limiter;
    private final Publisher publisher;
    private final RetryPolicy policy;
    private final MeterRegistry metrics;
    private final CancelledRuns cancelled;
    private final RetryQueues retryQueues;

    public CallWorker(ProbeRunService runs, ModelClient client, EndpointLimiter limiter, Publisher publisher,
            ProbeRunnerConfig config, MeterRegistry metrics, CancelledRuns cancelled, RetryQueues retryQueues) {
        this.cancelled = cancelled;
        this.retryQueues = retryQueues;
        this.runs = runs;
        this.client = client;
        this.limiter = limiter;
        this.publisher = publisher;
        this.metrics = metrics;
        this.policy = new RetryPolicy(config.calls().maxAttempts(), config.calls().backoffBaseMs(),
                config.calls().backoffMaxMs(), new SplittableRandom());
    }

    @Incoming(Channels.CALLS)
    public Uni<Void> onCall(Message<Object> msg) {
        CallMessage call;
        try {
            call = CallMessage.fromJson(toJson(msg.getPayload()));
        } catch (RuntimeException e) {
            LOG.warnf("dropping unreadable call message to the DLQ: %s", e.getMessage());
            count("invalid");
            msg.nack(e);
            return Uni.createFrom().voidItem();
        }
        process(msg, call).subscribe().with(ignored -> {
        }, failure -> {
            LOG.warnf("call %s (attempt %d) could not be recorded, requeueing: %s", call.outputId(), call.attempt(),
                    failure.getMessage());
            count("requeued");
            msg.nack(failure, Metadata.of(new RabbitMQRejectMetadata(true)));
        });
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> process(Message<Object> msg, CallMessage call) {
        return blocking(() -> runs.loadCall(call)).chain(ctx -> {
            if (ctx == null) {
                count("skipped");
                return ack(msg);
            }
            return limiter.run(ctx.endpointId(), ctx.maxConcurrency(),
                    () -> cancelled.contains(ctx.probeRunId()) ? Uni.createFrom().item(CallOutcome.skipped())
                            : converse(ctx))
                    .chain(outcome -> handle(msg, call, ctx, outcome));
        });
    }

    private Uni<Void> handle(Message<Object> msg, CallMessage call, CallContext ctx, CallOutcome outcome) {
        switch (outcome.kind()) {
            case SKIPPED -> {
                count("skipped");
                return ack(msg);
            }
            case SUCCESS -> {
                ChatCompletion c = outcome.completion();
                List<TurnDto> turns = outcome.turns();
                OutputResult result = new OutputResult(c.text(), c.reasoning(), c.finishReason(), c.promptTokens(),
                        c.completionTokens(), outcome.latencyMs(), c.serverModel(), call.attempt(), null,
                        CheckEvaluator.evaluate(ctx.checks(), c.text()), turns);
                return blocking(() -> runs.recordOutput(ctx.probeRunId(), ctx.outputId(), result))
                        .invoke(recorded -> count(recorded ? "success" : "skipped"))
                        .chain(() -> ack(msg));
            }
            case RETRYABLE -> {
                if (policy.canRetry(call.attempt())) {
                    long delay = policy.delayMs(call.attempt(), outcome.retryAfterMs());
                    LOG.debugf("call %s attempt %d failed (%s); retrying in %d ms", call.outputId(), call.attempt(),
                            outcome.error(), delay);
                    count("retry");
                    // through a delay queue (TTL → dead-lettered back to the work exchange); ack once confirmed
                    return publisher.publishRetry(call.next(), retryQueues.delay(delay)).chain(() -> ack(msg));
                }
                return fail(msg, call, ctx, outcome);
            }
            default -> {
                return fail(msg, call, ctx, outcome);
            }
        }
    }

    /**
     * One turn, or for a multi-turn probe (MT-Bench) each follow-up asked after the model's own previous answer,
     * inside the same endpoint slot. Any failed turn fails the whole call (a retry starts again from turn 1).
     */
    private Uni<CallOutcome> converse(CallContext ctx) {
        Uni<CallOutcome> first = client.chat(ctx);
        if (ctx.followUps().isEmpty()) {
            return first;
        }
        return first.chain(o -> nextTurn(ctx, ctx.body(), o, 0, new ArrayList<>()));
    }

    private Uni<CallOutcome> nextTurn(CallContext ctx, JsonObject body, CallOutcome previous, int index,
            List<TurnDto> turns) {
        if (previous.kind() != CallOutcome.Kind.SUCCESS) {
            return Uni.createFrom().item(previous);
        }
        if (index >= ctx.followUps().size()) {
            return Uni.createFrom().item(previous.withTurns(List.copyOf(turns)));
        }
        ChatCompletion answer = previous.completion();
        turns.add(new TurnDto(answer.text(), answer.reasoning(), answer.finishReason()));
        JsonObject next = body.copy();
        next.getJsonArray("messages")
                .add(new JsonObject().put("role", "assistant").put("content", answer.text() == null ? "" : answer.text()))
                .add(new JsonObject().put("role", "user").put("content", ctx.followUps().get(index)));
        return client.chat(ctx.withBody(next)).chain(o -> nextTurn(ctx, next, o, index + 1, turns));
    }

    private Uni<Void> fail(Message<Object> msg, CallMessage call, CallContext ctx, CallOutcome outcome) {
        OutputResult result = OutputResult.failed(outcome.error(), call.attempt(), outcome.latencyMs());
        return blocking(() -> runs.recordOutput(ctx.probeRunId(), ctx.outputId(), result)).chain(recorded -> {
            count(recorded ? "error" : "skipped");
            if (!recorded) {
                return ack(msg);
            }
            LOG.infof("call %s failed after %d attempt(s): %s", call.outputId(), call.attempt(), outcome.error());
            // failure-strategy=reject without requeue → dead-lettered to probe-runner.calls.dlq
            return Uni.createFrom().completionStage(msg.nack(new CallFailedException(outcome.error()),
                    Metadata.of(new RabbitMQRejectMetadata(false))));
        });
    }

    private static Uni<Void> ack(Message<Object> msg) {
        return Uni.createFrom().completionStage(msg::ack);
    }

    private static <T> Uni<T> blocking(java.util.function.Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void count(String outcome) {
        metrics.counter("lookout.probe.calls", "outcome", outcome).increment();
    }

    static JsonObject toJson(Object payload) {
        if (payload instanceof JsonObject json) {
            return json;
        }
        if (payload instanceof Buffer buffer) {
            return buffer.toJsonObject();
        }
        if (payload instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
            return buffer.getDelegate().toJsonObject();
        }
        if (payload instanceof byte[] bytes) {
            return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        }
        if (payload instanceof String s) {
            return new JsonObject(s);
        }
        throw new IllegalArgumentException("unsupported payload type");
    }

    /** Why a call message was dead-lettered (no stack trace: it is an expected outcome). */
    static final class CallFailedException extends RuntimeException {
        CallFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
