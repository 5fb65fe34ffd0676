package dev.lookout.proberunner.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

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
import dev.lookout.proberunner.domain.Turn;
import dev.lookout.proberunner.service.CallStore;
import dev.lookout.proberunner.service.CancelledRuns;
import dev.lookout.proberunner.service.CheckEvaluator;
import dev.lookout.proberunner.service.OutputResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Consumes probe-runner.calls. The method returns at once (the event loop is never blocked); each message is then
 * processed asynchronously: its context is read in a micro-batch with the other calls dequeued meanwhile
 * ({@link CallStore#load}, worker thread, per-(run, target) context cached), the HTTP call runs on the event loop
 * through the per-endpoint {@link EndpointLimiter} (a cap across instances: leased slots, no round trip per call),
 * and the final state joins the next write micro-batch
 * ({@link CallStore#record}: one transaction for the batch). A message is acked only after its batch is committed.
 * Batches form only from what queued up while the previous one ran: an idle worker stores a single call at once.
 *
 * <p>Retries (429, 5xx, timeouts): the call is published with attempt+1 to a delay queue ({@link RetryQueues}:
 * exponential backoff with jitter, never shorter than Retry-After) whose TTL dead-letters it back to the work
 * exchange; the original is acked once the broker confirms. No timer, no sleeping thread.
 * After the last attempt the error is stored as the output and the message is rejected → probe-runner.calls.dlq.
 */
@ApplicationScoped
public class CallWorker {

    private static final Logger LOG = Logger.getLogger(CallWorker.class);
    /** Most calls loaded or stored in one statement. */
    static final int BATCH = 256;

    private final CallStore store;
    private final ModelClient client;
    private final EndpointLimiter limiter;
    private final Publisher publisher;
    private final RetryPolicy policy;
    private final MeterRegistry metrics;
    private final CancelledRuns cancelled;
    private final RetryQueues retryQueues;
    /** Dequeued calls waiting for their context: one read per batch. */
    private final MicroBatcher<Dequeued> loads;
    /** Finished calls waiting to be stored: one transaction per batch, then each message is acked. */
    private final MicroBatcher<Finished> writes;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final int maxCheckChars;

    /** A dequeued call. */
    private record Dequeued(Message<Object> msg, CallMessage call) {
    }

    /** A finished call to store; {@code deadLetter}: the final error (rejected to the DLQ once stored). */
    private record Finished(Message<Object> msg, CallMessage call, CallStore.Completed completed, boolean deadLetter) {
    }

    public CallWorker(CallStore store, ModelClient client, EndpointLimiter limiter, Publisher publisher,
            ProbeRunnerConfig config, MeterRegistry metrics, CancelledRuns cancelled, RetryQueues retryQueues) {
        this.maxCheckChars = config.checks().maxTextChars();
        this.cancelled = cancelled;
        this.retryQueues = retryQueues;
        this.store = store;
        this.client = client;
        this.limiter = limiter;
        this.publisher = publisher;
        this.metrics = metrics;
        this.policy = new RetryPolicy(config.calls().maxAttempts(), config.calls().backoffBaseMs(),
                config.calls().backoffMaxMs(), new SplittableRandom());
        Executor workers = Infrastructure.getDefaultWorkerPool();
        this.loads = new MicroBatcher<>("call loads", BATCH, workers, this::loadBatch);
        this.writes = new MicroBatcher<>("output writes", BATCH, workers, this::writeBatch);
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
        loads.submit(new Dequeued(msg, call));
        return Uni.createFrom().voidItem();
    }

    /** Worker thread: one read for the whole batch, then each call goes to its endpoint's gate (non-blocking). */
    private void loadBatch(List<Dequeued> batch) {
        List<CallContext> contexts;
        try {
            contexts = store.load(batch.stream().map(Dequeued::call).toList());
        } catch (RuntimeException e) {
            batch.forEach(in -> requeue(in.msg(), in.call(), e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Dequeued in = batch.get(i);
            CallContext ctx = contexts.get(i);
            if (ctx == null) {
                count("skipped");
                in.msg().ack();
                continue;
            }
            limiter.run(ctx.endpointId(), ctx.maxConcurrency(), budgetMs(ctx),
                    () -> cancelled.contains(ctx.probeRunId()) ? Uni.createFrom().item(CallOutcome.skipped())
                            : converse(ctx))
                    .chain(outcome -> handle(in.msg(), in.call(), ctx, outcome))
                    .subscribe().with(ignored -> {
                    }, failure -> requeue(in.msg(), in.call(), failure));
        }
    }

    /**
     * The longest a call can hold its endpoint slot: each turn ends by timeout + 1 s ({@link ModelClient}'s hard
     * stop), plus 1 s of grace. The slot's lease must cover it before the call starts.
     */
    static long budgetMs(CallContext ctx) {
        return (1L + ctx.followUps().size()) * (ctx.timeoutMs() + 1_000L) + 1_000L;
    }

    /** Worker thread: one transaction for the batch; each message is acked (or dead-lettered) only after commit. */
    private void writeBatch(List<Finished> batch) {
        boolean[] stored;
        try {
            stored = store.record(batch.stream().map(Finished::completed).toList());
        } catch (RuntimeException e) {
            batch.forEach(f -> requeue(f.msg(), f.call(), e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Finished f = batch.get(i);
            if (!stored[i]) {
                count("skipped");
                f.msg().ack();
            } else if (!f.deadLetter()) {
                count("success");
                f.msg().ack();
            } else {
                count("error");
                LOG.infof("call %s failed after %d attempt(s): %s", f.call().outputId(), f.call().attempt(),
                        f.completed().result().error());
                // failure-strategy=reject without requeue → dead-lettered to probe-runner.calls.dlq
                f.msg().nack(new CallFailedException(f.completed().result().error()),
                        Metadata.of(new RabbitMQRejectMetadata(false)));
            }
        }
    }

    private void requeue(Message<Object> msg, CallMessage call, Throwable failure) {
        LOG.warnf("call %s (attempt %d) could not be recorded, requeueing: %s", call.outputId(), call.attempt(),
                failure.getMessage());
        count("requeued");
        msg.nack(failure, Metadata.of(new RabbitMQRejectMetadata(true)));
    }

    /** Queues the final state for the next write batch; completes at once (the ack follows the commit). */
    private Uni<Void> store(Message<Object> msg, CallMessage call, CallContext ctx, OutputResult result,
            boolean deadLetter) {
        writes.submit(new Finished(msg, call, new CallStore.Completed(ctx.probeRunId(), ctx.outputId(), result),
                deadLetter));
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> handle(Message<Object> msg, CallMessage call, CallContext ctx, CallOutcome outcome) {
        switch (outcome.kind()) {
            case SKIPPED -> {
                count("skipped");
                return ack(msg);
            }
            case SUCCESS -> {
                ChatCompletion c = outcome.completion();
                List<Turn> turns = outcome.turns();
                OutputResult result = new OutputResult(c.text(), c.reasoning(), c.finishReason(), c.promptTokens(),
                        c.completionTokens(), outcome.latencyMs(), c.serverModel(), call.attempt(), null,
                        CheckEvaluator.evaluate(ctx.checks(), c.text(), maxCheckChars), turns, c.systemFingerprint());
                return store(msg, call, ctx, result, false);
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
            List<Turn> turns) {
        if (previous.kind() != CallOutcome.Kind.SUCCESS) {
            return Uni.createFrom().item(previous);
        }
        if (index >= ctx.followUps().size()) {
            return Uni.createFrom().item(previous.withTurns(List.copyOf(turns)));
        }
        ChatCompletion answer = previous.completion();
        turns.add(new Turn(answer.text(), answer.reasoning(), answer.finishReason()));
        JsonObject next = body.copy();
        next.getJsonArray("messages")
                .add(new JsonObject().put("role", "assistant").put("content", answer.text() == null ? "" : answer.text()))
                .add(new JsonObject().put("role", "user").put("content", ctx.followUps().get(index)));
        return client.chat(ctx.withBody(next)).chain(o -> nextTurn(ctx, next, o, index + 1, turns));
    }

    private Uni<Void> fail(Message<Object> msg, CallMessage call, CallContext ctx, CallOutcome outcome) {
        String finish = outcome.completion() == null ? null : outcome.completion().finishReason();
        return store(msg, call, ctx, OutputResult.failed(outcome.error(), finish, call.attempt(), outcome.latencyMs()),
                true);
    }

    private static Uni<Void> ack(Message<Object> msg) {
        return Uni.createFrom().completionStage(msg::ack);
    }

    private void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> metrics.counter("lookout.probe.calls", "outcome", o)).increment();
    }

    public static JsonObject toJson(Object payload) {
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
