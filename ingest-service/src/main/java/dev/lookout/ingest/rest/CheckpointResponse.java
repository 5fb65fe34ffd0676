package dev.lookout.ingest.rest;

import dev.lookout.ingest.service.CheckpointService;

import java.util.UUID;

/** Losses are null while unknown (the checkpoint may arrive before its loss). */
public record CheckpointResponse(UUID id, UUID runId, long step, String label, TargetDto target, Double trainLoss,
                                 Double evalLoss, Double trainLossDelta, Double evalLossDelta,
                                 /** Null unless the checkpoint is a LoRA adapter probe-runner loads. */
                                 AdapterDto adapter) {

    static CheckpointResponse from(CheckpointService.CheckpointWithLoss c) {
        var cp = c.checkpoint();
        var l = c.losses();
        return new CheckpointResponse(cp.id, cp.runId, cp.step, cp.label, new TargetDto(cp.targetEndpoint, cp.targetModel),
                l.trainLoss(), l.evalLoss(), l.trainLossDelta(), l.evalLossDelta(),
                cp.adapterPath == null ? null : new AdapterDto(cp.adapterPath, cp.targetEndpoint, cp.targetModel));
    }
}
