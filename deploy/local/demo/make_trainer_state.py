#!/usr/bin/env python3
"""Writes trainer_state.json next to this script: a Hugging Face Trainer state of a 600-step SFT run.

Deterministic (fixed seed), so re-running it reproduces the committed file byte for byte.
Train loss falls with noise; eval loss (every 100 steps) falls, then flattens and creeps up after
step 400 -- the "loss fell, behaviour didn't follow" shape the demo is about. Learning rate: linear
warmup over 30 steps, then cosine decay to 0. Logged every 5 steps, 3 epochs of 200 steps.
"""
import json
import math
import pathlib
import random

rng = random.Random(20260601)
MAX_STEPS, LOGGING, EVAL, SAVE, STEPS_PER_EPOCH = 600, 5, 100, 200, 200
PEAK_LR, WARMUP = 2e-4, 30


def lr(step):
    if step < WARMUP:
        return PEAK_LR * step / WARMUP
    progress = (step - WARMUP) / (MAX_STEPS - WARMUP)
    return PEAK_LR * 0.5 * (1.0 + math.cos(math.pi * progress))


def train_loss(step):
    base = 0.55 + 1.65 * math.exp(-step / 140.0)
    drop = 0.08 if step >= STEPS_PER_EPOCH else 0.0        # the usual step down at each new epoch
    drop += 0.07 if step >= 2 * STEPS_PER_EPOCH else 0.0
    return max(0.05, base - drop + rng.gauss(0.0, 0.045))


EVAL_LOSS = {100: 1.412, 200: 1.186, 300: 1.124, 400: 1.109, 500: 1.131, 600: 1.167}

log_history, train_losses = [], []
for step in range(LOGGING, MAX_STEPS + 1, LOGGING):
    loss = train_loss(step)
    train_losses.append(loss)
    log_history.append({
        "epoch": round(step / STEPS_PER_EPOCH, 4),
        "grad_norm": round(abs(0.9 * math.exp(-step / 300.0) + 0.35 + rng.gauss(0.0, 0.08)), 6),
        "learning_rate": float(f"{lr(step):.6e}"),
        "loss": round(loss, 4),
        "step": step,
    })
    if step % EVAL == 0:
        runtime = round(11.8 + rng.uniform(-0.6, 0.6), 4)
        log_history.append({
            "epoch": round(step / STEPS_PER_EPOCH, 4),
            "eval_loss": EVAL_LOSS[step],
            "eval_runtime": runtime,
            "eval_samples_per_second": round(240 / runtime, 3),
            "eval_steps_per_second": round(30 / runtime, 3),
            "step": step,
        })
log_history.append({
    "epoch": 3.0, "step": MAX_STEPS, "total_flos": 4.187325104635904e16,
    "train_loss": round(sum(train_losses) / len(train_losses), 6), "train_runtime": 2841.5523,
    "train_samples_per_second": 1.689, "train_steps_per_second": 0.211,
})
state = {
    "best_global_step": 400,
    "best_metric": EVAL_LOSS[400],
    "best_model_checkpoint": "outputs/demo-sft/checkpoint-400",
    "epoch": 3.0,
    "eval_steps": EVAL,
    "global_step": MAX_STEPS,
    "is_hyper_param_search": False,
    "is_local_process_zero": True,
    "is_world_process_zero": True,
    "log_history": log_history,
    "logging_steps": LOGGING,
    "max_steps": MAX_STEPS,
    "num_input_tokens_seen": 0,
    "num_train_epochs": 3,
    "save_steps": SAVE,
    "stateful_callbacks": {"TrainerControl": {"args": {
        "should_epoch_stop": False, "should_evaluate": False, "should_log": False,
        "should_save": True, "should_training_stop": True}, "attributes": {}}},
    "total_flos": 4.187325104635904e16,
    "train_batch_size": 8,
    "trial_name": None,
    "trial_params": None,
}
out = pathlib.Path(__file__).with_name("trainer_state.json")
out.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
print(f"wrote {out} ({len(log_history)} log entries)")
