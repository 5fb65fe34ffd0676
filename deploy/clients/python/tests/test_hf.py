"""The callback against stand-ins with exactly the fields of transformers' TrainerState, TrainingArguments (the
ones it reads) and TrainerControl, called in the order Trainer calls them."""
import dataclasses
import unittest
from typing import Any, Dict, List, Optional

from lookout.integrations.hf import LookoutCallback

from .support import BASELINE, FakeLookoutCase


@dataclasses.dataclass
class TrainerState:
    epoch: Optional[float] = None
    global_step: int = 0
    max_steps: int = 0
    logging_steps: int = 500
    eval_steps: int = 500
    save_steps: int = 500
    train_batch_size: Optional[int] = None
    num_train_epochs: int = 0
    num_input_tokens_seen: int = 0
    total_flos: float = 0
    log_history: List[Dict[str, float]] = dataclasses.field(default_factory=list)
    best_metric: Optional[float] = None
    best_model_checkpoint: Optional[str] = None
    is_local_process_zero: bool = True
    is_world_process_zero: bool = True
    is_hyper_param_search: bool = False
    trial_name: Optional[str] = None
    trial_params: Optional[Dict[str, Any]] = None
    stateful_callbacks: Optional[List[Any]] = None


@dataclasses.dataclass
class TrainingArguments:
    output_dir: str
    run_name: Optional[str] = None
    logging_steps: float = 10
    save_steps: float = 20


@dataclasses.dataclass
class TrainerControl:
    should_training_stop: bool = False
    should_epoch_stop: bool = False
    should_save: bool = False
    should_evaluate: bool = False
    should_log: bool = False


class LookoutCallbackTest(FakeLookoutCase):

    def callback(self, **kwargs):
        options = dict(project="demo", run="hf-run", baseline=BASELINE, suite="smoke", api=self.api,
                       spool_dir=self.tmp, flush_interval=0.05)
        options.update(kwargs)
        return LookoutCallback(**options)

    def train(self, cb, state, args):
        control = TrainerControl()
        cb.on_train_begin(args, state, control)
        for step in (10, 20):
            state.global_step = step
            logs = {"loss": 2.0 - step / 100, "grad_norm": 1.5, "learning_rate": 1e-5, "epoch": step / 40}
            state.log_history.append(dict(logs, step=step))
            cb.on_log(args, state, control, logs=logs)
        logs = {"eval_loss": 1.7, "eval_runtime": 3.2, "eval_samples_per_second": 10.0, "epoch": 0.5}
        cb.on_log(args, state, control, logs=logs)
        cb.on_save(args, state, control)
        cb.on_log(args, state, control, logs={"train_runtime": 60.0, "train_loss": 1.9, "total_flos": 1e12})
        cb.on_train_end(args, state, control)

    def test_streams_mapped_metrics_registers_the_checkpoint_and_finishes(self):
        cb = self.callback(target={"endpoint": "vllm", "model": "{run}-{step}"})
        self.train(cb, TrainerState(max_steps=20), TrainingArguments(output_dir=self.tmp + "/out"))
        run_id = cb.run.id
        names = sorted({p["name"] for p in self.fake.points_of(run_id)})
        self.assertEqual(["eval/loss", "train/epoch", "train/grad_norm", "train/learning_rate", "train/loss"], names)
        self.assertEqual([10, 20], [p["step"] for p in self.fake.points_of(run_id, "train/loss")])
        self.assertEqual([(20, 1.7)], [(p["step"], p["value"]) for p in self.fake.points_of(run_id, "eval/loss")])
        self.assertEqual([{"step": 20, "target": {"endpoint": "vllm", "model": "hf-run-20"}}],
                         [c for _, c in self.fake.checkpoints])
        self.assertEqual([(run_id, "finished")], self.fake.statuses)

    def test_registers_an_adapter_path_from_the_output_dir(self):
        cb = self.callback(adapter="{output_dir}/checkpoint-{step}", adapter_endpoint="vllm")
        self.train(cb, TrainerState(), TrainingArguments(output_dir="/data/out"))
        self.assertEqual([{"step": 20, "adapter": {"path": "/data/out/checkpoint-20", "endpoint": "vllm"}}],
                         [c for _, c in self.fake.checkpoints])

    def test_an_adapter_template_needs_the_endpoint_that_loads_it(self):
        with self.assertRaises(ValueError):
            self.callback(adapter="{output_dir}/checkpoint-{step}")

    def test_the_run_name_defaults_to_run_name_then_the_folder(self):
        cb = self.callback(run=None)
        self.train(cb, TrainerState(), TrainingArguments(output_dir=self.tmp + "/qwen-sft-7"))
        self.assertEqual(["qwen-sft-7"], [r["name"] for r in self.fake.runs.values()])

    def test_only_the_main_process_reports(self):
        cb = self.callback(target={"endpoint": "vllm", "model": "{run}-{step}"})
        self.train(cb, TrainerState(is_world_process_zero=False, is_local_process_zero=True),
                   TrainingArguments(output_dir=self.tmp))
        self.assertIsNone(cb.run)
        self.assertEqual({}, self.fake.runs)
        self.assertEqual([], self.fake.log)

    def test_training_goes_on_when_lookout_cannot_be_reached_at_start(self):
        self.fake.down = True
        cb = self.callback()
        self.api.retries = 0
        with self.assertLogs("lookout", "WARNING"):
            self.train(cb, TrainerState(), TrainingArguments(output_dir=self.tmp))
        self.assertIsNone(cb.run)


if __name__ == "__main__":
    unittest.main()
