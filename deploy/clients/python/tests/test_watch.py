"""Replays a real LLaMA-Factory run (tests/data/llamafactory_sft, see its ORIGIN.md) into a folder as training
would write it, and follows it with the watcher."""
import json
import os
import unittest

from lookout import cli
from lookout.watch import Watcher

from .fake_lookout import CLIENT_ID, CLIENT_SECRET
from .support import FakeLookoutCase

DATA = os.path.join(os.path.dirname(__file__), "data", "llamafactory_sft", "trainer_log.jsonl")
TARGET = {"endpoint": "vllm", "model": "{run}-{step}"}


def recorded_lines():
    with open(DATA, "rb") as f:
        return f.readlines()


class Replay:
    """Writes the recorded run into out/ piece by piece."""

    def __init__(self, out):
        self.out = out
        self.lines = recorded_lines()
        self.written = 0
        os.makedirs(out, exist_ok=True)

    def until_step(self, step, partial_next=False):
        with open(os.path.join(self.out, "trainer_log.jsonl"), "ab") as f:
            while self.written < len(self.lines) and json.loads(self.lines[self.written])["current_steps"] <= step:
                f.write(self.lines[self.written])
                self.written += 1
            if partial_next and self.written < len(self.lines):
                f.write(self.lines[self.written][:40])  # a row the trainer is still writing
                self.written_partial = self.lines[self.written][40:]

    def finish_partial(self):
        with open(os.path.join(self.out, "trainer_log.jsonl"), "ab") as f:
            f.write(self.written_partial)
        self.written += 1

    def checkpoint(self, step, complete=True):
        folder = os.path.join(self.out, "checkpoint-%d" % step)
        os.makedirs(folder, exist_ok=True)
        if complete:
            with open(os.path.join(folder, "trainer_state.json"), "w") as f:
                json.dump({"global_step": step, "log_history": []}, f)


class WatcherTest(FakeLookoutCase):

    def watcher(self, out):
        run = self.init("medical-sft")
        return run, Watcher(run, out, target=TARGET)

    def test_follows_the_log_and_registers_each_checkpoint_exactly_once_across_restarts(self):
        out = os.path.join(self.tmp, "saves")
        replay = Replay(out)
        run, watcher = self.watcher(out)
        replay.until_step(500, partial_next=True)
        replay.checkpoint(500)
        self.assertEqual((51, 1), watcher.scan())
        replay.finish_partial()
        replay.until_step(1000)
        replay.checkpoint(1000, complete=False)  # being saved
        self.assertEqual((51, 0), watcher.scan())
        self.assertEqual((0, 1), watcher.scan())  # still there on the next scan: complete
        run.close()

        run, watcher = self.watcher(out)  # the watcher restarts: nothing is sent twice
        self.assertEqual((0, 0), watcher.scan())
        replay.until_step(1500)
        replay.checkpoint(1500)
        self.assertEqual((51, 1), watcher.scan())

        self.assertEqual([500, 1000, 1500], [c["step"] for _, c in self.fake.checkpoints])
        self.assertEqual("medical-sft-1000", self.fake.checkpoints[1][1]["target"]["model"])
        loss = self.fake.points_of(run.id, "train/loss")
        self.assertEqual(150, len(loss))
        self.assertEqual(list(range(10, 1510, 10)), [p["step"] for p in loss])
        self.assertEqual(2.219, loss[0]["value"])
        evals = self.fake.points_of(run.id, "eval/loss")
        self.assertEqual([500, 1000, 1500], [p["step"] for p in evals])
        self.assertEqual(150, len(self.fake.points_of(run.id, "train/learning_rate")))  # LLaMA-Factory's "lr"
        names = {p["name"] for p in self.fake.points_of(run.id)}
        self.assertEqual({"train/loss", "train/learning_rate", "train/epoch", "eval/loss"}, names)

    def test_a_checkpoint_saved_while_a_scan_reads_the_log_waits_for_the_next_scan(self):
        out = os.path.join(self.tmp, "saves")
        replay = Replay(out)
        run, watcher = self.watcher(out)
        replay.until_step(250)
        read_log = watcher._read_log

        def trainer_writes_during_the_read():
            rows = read_log()              # the pass has read up to step 250 ...
            replay.until_step(500)         # ... when the trainer logs up to 500 and saves checkpoint-500
            replay.checkpoint(500)
            return rows

        watcher._read_log = trainer_writes_during_the_read
        self.assertEqual((25, 0), watcher.scan())   # checkpoint-500 was not there when the pass began
        self.assertEqual([], self.fake.checkpoints)
        watcher._read_log = read_log
        self.assertEqual((26, 1), watcher.scan())
        self.assertEqual([500], [c["step"] for _, c in self.fake.checkpoints])
        self.assertEqual(500, self.fake.points_of(run.id, "train/loss")[-1]["step"])
        posts = [path for method, path, status in self.fake.log if method == "POST"]
        self.assertTrue(posts[-1].endswith("/checkpoints"), posts)  # after every metrics batch

    def test_reads_trainer_state_log_history_without_trainer_log(self):
        out = os.path.join(self.tmp, "hf")
        os.makedirs(out)
        history = [{"step": 5, "loss": 1.25, "learning_rate": 2e-5, "grad_norm": 0.7, "epoch": 0.1},
                   {"step": 10, "eval_loss": 1.5, "eval_runtime": 2.0, "epoch": 0.2}]
        with open(os.path.join(out, "trainer_state.json"), "w") as f:
            json.dump({"global_step": 10, "log_history": history}, f)
        run, watcher = self.watcher(out)
        self.assertEqual((2, 0), watcher.scan())
        history.append({"step": 15, "loss": 1.0, "epoch": 0.3})
        with open(os.path.join(out, "trainer_state.json"), "w") as f:
            json.dump({"global_step": 15, "log_history": history}, f)
        self.assertEqual((1, 0), watcher.scan())
        self.assertEqual([5, 15], [p["step"] for p in self.fake.points_of(run.id, "train/loss")])
        self.assertEqual([0.7], [p["value"] for p in self.fake.points_of(run.id, "train/grad_norm")])
        self.assertEqual(0, len(self.fake.points_of(run.id, "eval/runtime")))

    def test_the_command_scans_once_with_credentials_from_the_environment(self):
        out = os.path.join(self.tmp, "cli-run")
        replay = Replay(out)
        replay.until_step(1000)
        replay.checkpoint(500)
        replay.checkpoint(1000)
        env = {"LOOKOUT_URL": self.fake.url, "LOOKOUT_TOKEN_URL": self.fake.token_url,
               "LOOKOUT_CLIENT_ID": CLIENT_ID, "LOOKOUT_CLIENT_SECRET": CLIENT_SECRET}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            args = ["watch", out, "--project", "demo", "--baseline", "vllm/qwen2.5-7b", "--target", "vllm/{run}-{step}",
                    "--spool-dir", self.tmp + "/spool", "--once"]
            self.assertEqual(0, cli.main(args))
            self.assertEqual(0, cli.main(args))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.assertEqual(["cli-run"], [r["name"] for r in self.fake.runs.values()])
        self.assertEqual([("cli-run-500", 500), ("cli-run-1000", 1000)],
                         [(c["target"]["model"], c["step"]) for _, c in self.fake.checkpoints])
        self.assertEqual(100, len([p for _, p in self.fake.points if p["name"] == "train/loss"]))
        self.assertTrue(os.path.exists(os.path.join(out, ".lookout-watch.json")))


if __name__ == "__main__":
    unittest.main()
