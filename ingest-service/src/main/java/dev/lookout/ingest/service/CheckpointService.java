package dev.lookout.ingest.service;

import dev.lookout.platform.Adapters;
import dev.lookout.ingest.config.IngestConfig;
import dev.lookout.ingest.entity.Checkpoint;
import dev.lookout.ingest.entity.Run;
import dev.lookout.ingest.messaging.EventTypes;
import dev.lookout.ingest.messaging.OutboxWriter;
import dev.lookout.ingest.repository.CheckpointRepository;
import dev.lookout.ingest.repository.MetricRepository;
import dev.lookout.platform.outbox.EventFields;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class CheckpointService {

    public record CheckpointWithLoss(Checkpoint checkpoint, CheckpointLosses.Losses losses) {
    }

    private final CheckpointRepository checkpoints;
    private final MetricRepository metrics;
    private final RunService runs;
    private final OutboxWriter outbox;
    private final IngestConfig config;
    private final CatalogChecks catalog;

    public CheckpointService(CheckpointRepository checkpoints, MetricRepository metrics, RunService runs,
                             OutboxWriter outbox, IngestConfig config, CatalogChecks catalog) {
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.runs = runs;
        this.outbox = outbox;
        this.config = config;
        this.catalog = catalog;
    }

    /**
     * POST /api/runs/{run}/checkpoints: the target endpoint is asked of probe-runner first, outside any transaction
     * (422 naming {@code target.endpoint}, 503 when it cannot be asked); then {@link #register}. Whether the endpoint
     * serves the model is probe-runner's asynchronous check (a warning on the checkpoint's probe run).
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public CheckpointWithLoss registerChecked(UUID runId, long step, String label, String endpoint, String model) {
        Run run = runs.require(runId);
        catalog.checkCheckpointTarget(run.project, endpoint);
        return QuarkusTransaction.requiringNew().call(() -> register(runId, step, label, endpoint, model));
    }

    /**
     * POST /api/runs/{run}/checkpoints with {@code adapter}: a LoRA adapter probe-runner loads on the endpoint (name
     * or id; probe-runner is asked first whether it exists and has adapterLoading=vllm: 422 naming
     * {@code adapter.endpoint} otherwise) under {@code name}, default {@code <run>-<step>}. The checkpoint's target is
     * then (that endpoint's name, the adapter's name).
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public CheckpointWithLoss registerAdapterChecked(UUID runId, long step, String label, String path,
                                                     String endpoint, String name) {
        Run run = runs.require(runId);
        String problem = Adapters.pathProblem(path);
        if (problem != null) {
            throw new BadInputException(422, "adapter.path: " + problem + "; nothing was stored",
                    List.of(BadInputException.Problem.atField("adapter.path", problem)));
        }
        String loraName = name == null || name.isBlank() ? Adapters.defaultName(run.name, step) : name;
        String endpointName = catalog.checkCheckpointAdapter(run.project, endpoint);
        return QuarkusTransaction.requiringNew().call(() -> register(runId, step, label, endpointName, loraName,
                path));
    }

    @Transactional(Transactional.TxType.REQUIRED)
    public CheckpointWithLoss register(UUID runId, long step, String label, String endpoint, String model) {
        return register(runId, step, label, endpoint, model, null);
    }

    @Transactional(Transactional.TxType.REQUIRED)
    public CheckpointWithLoss register(UUID runId, long step, String label, String endpoint, String model,
                                       String adapterPath) {
        Run run = runs.require(runId);
        if (checkpoints.existsAt(runId, step)) {
            throw new ConflictException("run " + run.name + " already has a checkpoint at step " + step);
        }
        Checkpoint c = new Checkpoint();
        c.id = UUID.randomUUID();
        c.runId = runId;
        c.step = step;
        c.label = label;
        c.targetEndpoint = endpoint;
        c.targetModel = model;
        c.adapterPath = adapterPath;
        c.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        checkpoints.persist(c);
        EventFields fields = EventFields.of()
                .with("runId", run.id.toString())
                .with("runName", run.name)
                .with("checkpointId", c.id.toString())
                .with("step", c.step)
                .with("label", c.label)
                .with("target", OutboxWriter.target(c.targetEndpoint, c.targetModel));
        if (c.adapterPath != null) {
            // the target is served once probe-runner loaded the adapter
            fields.with("adapter", EventFields.of().with("path", c.adapterPath).with("endpoint", c.targetEndpoint)
                    .with("name", c.targetModel));
        }
        fields.with("baseline", OutboxWriter.target(run.baselineEndpoint, run.baselineModel))
                .with("suite", run.suite);
        outbox.append(EventTypes.CHECKPOINT_REGISTERED, run.project, fields);
        checkpoints.flush();
        return list(runId).stream().filter(x -> x.checkpoint().id.equals(c.id)).findFirst().orElseThrow();
    }

    /**
     * One page of the run's checkpoints by step; losses and deltas are those of the whole list (a page's first
     * delta is against the previous page's last checkpoint).
     */
    public Page<CheckpointWithLoss> page(UUID runId, String after, int limit) {
        long afterStep = -1;
        if (after != null && !after.isBlank()) {
            afterStep = Cursors.longField(Cursors.decode(after, "checkpoint", 1)[0]);
        }
        List<CheckpointWithLoss> fetched = new ArrayList<>();
        for (CheckpointWithLoss c : list(runId)) {
            if (c.checkpoint().step > afterStep && fetched.size() <= limit) {
                fetched.add(c);
            }
        }
        return Page.of(fetched, limit, c -> Cursors.encode("checkpoint", c.checkpoint().step));
    }

    public List<CheckpointWithLoss> list(UUID runId) {
        runs.require(runId);
        List<Checkpoint> all = checkpoints.listByRun(runId);
        if (all.isEmpty()) {
            return List.of();
        }
        long maxStep = all.get(all.size() - 1).step;
        MetricRepository.Series train = metrics.series(runId, MetricNames.TRAIN_LOSS, maxStep);
        MetricRepository.Series eval = metrics.series(runId, MetricNames.EVAL_LOSS, maxStep);
        long[] steps = all.stream().mapToLong(c -> c.step).toArray();
        List<CheckpointLosses.Losses> losses = CheckpointLosses.compute(steps, train.steps(), train.values(),
                eval.steps(), eval.values(), config.lossSmoothingAlpha());
        List<CheckpointWithLoss> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            out.add(new CheckpointWithLoss(all.get(i), losses.get(i)));
        }
        return out;
    }
}
