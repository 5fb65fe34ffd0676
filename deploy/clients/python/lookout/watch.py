"""Follows a LLaMA-Factory / Hugging Face Trainer output folder: streams trainer_log.jsonl (or, without it,
trainer_state.json's log_history) and registers each new checkpoint-N/ folder exactly once. What it has done is
kept in a small state file, so a restarted watcher goes on where it stopped."""
import json
import logging
import os
import re

from .names import metrics_of_row

log = logging.getLogger("lookout")

STATE_FILE = ".lookout-watch.json"
_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")


class Watcher:
    """scan() once per interval. target / adapter are templates with {run}, {step}, {output_dir}, {project}."""

    def __init__(self, run, output_dir, target=None, adapter=None, adapter_endpoint=None, state_path=None):
        if target is not None and adapter is not None:
            raise ValueError("pass a target template or an adapter template, not both")
        if adapter is not None and not adapter_endpoint:
            raise ValueError("an adapter template needs adapter_endpoint (the endpoint that loads it)")
        self.run = run
        self.output_dir = os.path.abspath(output_dir)
        self.target = target
        self.adapter = adapter
        self.adapter_endpoint = adapter_endpoint
        self.state_path = state_path or os.path.join(self.output_dir, STATE_FILE)
        self.state = self._load()
        self._seen_unready = set()

    def _load(self):
        fresh = {"runId": self.run.id, "logOffset": 0, "stateRows": 0, "checkpoints": []}
        try:
            with open(self.state_path, encoding="utf-8") as f:
                state = json.load(f)
        except FileNotFoundError:
            return fresh
        if state.get("runId") != self.run.id:
            log.warning("watch state %s belongs to run %s; starting afresh for %s", self.state_path,
                        state.get("runId"), self.run.id)
            return fresh
        return state

    def _save(self):
        tmp = self.state_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.state, f)
        os.replace(tmp, self.state_path)

    def scan(self):
        """One pass: the complete checkpoint folders there now, then new log rows, then those checkpoints (in step
        order). A trainer writes a step's rows before it saves that step, so listing the folders before reading the
        log means a checkpoint is never registered ahead of its rows, even when it is saved during the pass.
        Returns (points rows, checkpoints)."""
        ready = self._ready_checkpoints()
        rows = self._read_log()
        if rows == 0:
            rows = self._read_trainer_state()
        registered = self._register_checkpoints(ready)
        if rows or registered:
            self.run.flush(60.0)
        self._save()
        return rows, registered

    def _read_log(self):
        path = os.path.join(self.output_dir, "trainer_log.jsonl")
        if not os.path.exists(path):
            return 0
        count = 0
        with open(path, "rb") as f:
            if os.path.getsize(path) < self.state["logOffset"]:
                self.state["logOffset"] = 0  # the file was rewritten (a new run in the same folder)
            f.seek(self.state["logOffset"])
            for line in f:
                if not line.endswith(b"\n"):
                    break  # being written; read it next time
                self.state["logOffset"] += len(line)
                count += self._row(line, "current_steps")
        self.state["usesLog"] = self.state.get("usesLog") or count > 0
        return count

    def _read_trainer_state(self):
        if self.state.get("usesLog"):
            return 0
        path = os.path.join(self.output_dir, "trainer_state.json")
        try:
            with open(path, encoding="utf-8") as f:
                history = json.load(f).get("log_history") or []
        except (FileNotFoundError, ValueError):
            return 0
        new = history[self.state["stateRows"]:]
        self.state["stateRows"] = len(history)
        return sum(self._emit(row, "step") for row in new)

    def _row(self, line, step_key):
        try:
            row = json.loads(line.decode("utf-8"))
        except ValueError:
            log.warning("watch: unreadable line in trainer_log.jsonl skipped")
            return 0
        return self._emit(row, step_key) if isinstance(row, dict) else 0

    def _emit(self, row, step_key):
        step = row.get(step_key)
        metrics = metrics_of_row(row)
        if not isinstance(step, int) or not metrics:
            return 0
        self.run.log(metrics, step=step)
        return 1

    def _ready_checkpoints(self):
        """Steps of the complete checkpoint folders not registered yet, in step order."""
        if self.target is None and self.adapter is None:
            return []
        done = set(self.state["checkpoints"])
        steps = []
        for name in os.listdir(self.output_dir):
            m = _CHECKPOINT.match(name)
            if m and os.path.isdir(os.path.join(self.output_dir, name)) and int(m.group(1)) not in done:
                steps.append(int(m.group(1)))
        return [step for step in sorted(steps) if self._ready(step)]

    def _register_checkpoints(self, steps):
        count = 0
        for step in steps:
            self._register(step)
            self.state["checkpoints"].append(step)
            self._save()
            count += 1
        return count

    def _ready(self, step):
        """Complete once the Trainer wrote trainer_state.json into it, or when seen on two scans in a row."""
        folder = os.path.join(self.output_dir, "checkpoint-%d" % step)
        if os.path.exists(os.path.join(folder, "trainer_state.json")) or step in self._seen_unready:
            return True
        self._seen_unready.add(step)
        return False

    def _register(self, step):
        fields = {"run": self.run.name, "step": step, "output_dir": self.output_dir, "project": self.run.project}
        if self.target is not None:
            target = {k: str(v).format(**fields) for k, v in self.target.items()}
            self.run.checkpoint(step, target=target, wait=True)
        else:
            self.run.checkpoint(step, adapter=self.adapter.format(**fields), endpoint=self.adapter_endpoint,
                                wait=True)
        log.info("checkpoint-%d registered", step)
