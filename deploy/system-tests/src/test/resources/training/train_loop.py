"""A real (tiny) PyTorch training loop that reports to Lookout the way the README tells users to: a small MLP
regressing random data on the CPU, the loss logged every LOG_EVERY steps as a 0-d tensor, a checkpoint saved and
registered every CKPT_EVERY steps (served name demo-ckpt-<step> on the simulator).

TrainingLoopIT drives it in three phases over stdin/stdout: after each phase but the last it prints
"PHASE <n> ..." and reads one line from stdin before going on (the test stops the gateway before phase 2 and
starts it again before phase 3). The time spent waiting there is the test's, not training's: step times are
measured around the training steps only. At the end it prints one line "SUMMARY {json}".
"""
import json
import os
import statistics
import sys
import time

import torch

import lookout

ENV = os.environ
STEPS_PER_PHASE = 150
PHASES = 3
LOG_EVERY = 5
CKPT_EVERY = 150

torch.manual_seed(7)
model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
features = torch.randn(512, 16)
labels = features @ torch.randn(16, 1) + 0.1 * torch.randn(512, 1)

run = lookout.init("demo", ENV["RUN"], baseline={"endpoint": ENV["ENDPOINT"], "model": "demo-base"},
                   suite=ENV["SUITE"], labels={"framework": "torch"}, spool_dir=ENV["SPOOL"])
logged = {}            # step -> loss as sent
step_seconds = {1: [], 2: [], 3: []}
checkpoint_seconds = {}
answers = {}


def train(phase, first, last):
    for step in range(first, last + 1):
        started = time.perf_counter()
        batch = torch.randint(0, features.shape[0], (32,))
        loss = torch.nn.functional.mse_loss(model(features[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % LOG_EVERY == 0:
            run.log({"train/loss": loss.detach(), "train/learning_rate": 0.05}, step=step)
            logged[step] = float(loss.detach().item())
        if step % CKPT_EVERY == 0:
            torch.save(model.state_dict(), os.path.join(ENV["WORK"], "checkpoint-%d.pt" % step))
            before = time.perf_counter()
            answer = run.checkpoint(step, target={"endpoint": ENV["ENDPOINT"], "model": "demo-ckpt-%d" % step})
            checkpoint_seconds[step] = time.perf_counter() - before
            answers[step] = "registered" if answer else "spooled"
        else:
            step_seconds[phase].append(time.perf_counter() - started)


for phase in range(1, PHASES + 1):
    train(phase, (phase - 1) * STEPS_PER_PHASE + 1, phase * STEPS_PER_PHASE)
    if phase < PHASES:
        print("PHASE %d done spooled=%d" % (phase, len(run.spool)), flush=True)
        sys.stdin.readline()

run.finish()


def millis(values, q):
    return round(1000 * statistics.quantiles(values, n=100)[q - 1], 3)


print("SUMMARY " + json.dumps({
    "run": run.id, "logged": {str(k): v for k, v in logged.items()}, "checkpoints": answers,
    "stored": run.stored_points, "duplicates": run.duplicate_points, "spoolLeft": len(run.spool),
    "droppedPoints": run.dropped_points + run.spool.dropped_points,
    "stepMillis": {str(p): {"median": millis(v, 50), "p99": millis(v, 99), "max": round(1000 * max(v), 3)}
                   for p, v in step_seconds.items()},
    "checkpointMillis": {str(k): round(1000 * v, 1) for k, v in checkpoint_seconds.items()},
}), flush=True)
