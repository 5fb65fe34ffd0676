"""A Hugging Face Trainer callback:

    from lookout.integrations.hf import LookoutCallback
    trainer = Trainer(..., callbacks=[LookoutCallback(project="demo", run="sft-v3",
        baseline={"endpoint": "vllm", "model": "qwen2.5-7b"}, suite="smoke",
        target={"endpoint": "vllm", "model": "{run}-{step}"})])

on_log streams the Trainer's logs (loss -> train/loss, eval_loss -> eval/loss, grad_norm -> train/grad_norm,
learning_rate -> train/learning_rate, others as train/<name> or eval/<name>); on_save registers checkpoint-N from
the target template or the adapter path template ("{output_dir}/checkpoint-{step}"); on_train_end finishes the run.
Only the main process (state.is_world_process_zero) talks to Lookout.
"""
import logging

from ..names import metrics_of_row

log = logging.getLogger("lookout")

try:  # subclass the real base when transformers is there, so the Trainer's type checks hold
    from transformers import TrainerCallback as _Base
except Exception:  # transformers absent (or broken): a plain base with the same hooks
    class _Base:
        pass


class LookoutCallback(_Base):

    def __init__(self, project=None, run=None, baseline=None, suite=None, labels=None, target=None, adapter=None,
                 adapter_endpoint=None, lookout_run=None, finish_on_train_end=True, **init_options):
        if target is not None and adapter is not None:
            raise ValueError("pass target= or adapter=, not both")
        if adapter is not None and not adapter_endpoint:
            raise ValueError("adapter= needs adapter_endpoint= (the endpoint that loads it)")
        self.project = project
        self.run_name = run
        self.baseline = baseline
        self.suite = suite
        self.labels = labels
        self.target = target
        self.adapter = adapter
        self.adapter_endpoint = adapter_endpoint
        self.finish_on_train_end = finish_on_train_end
        self.init_options = init_options
        self.run = lookout_run

    def _main(self, state):
        return bool(getattr(state, "is_world_process_zero", True))

    def _ensure_run(self, args):
        if self.run is None:
            import lookout
            name = self.run_name or getattr(args, "run_name", None) or _basename(getattr(args, "output_dir", ""))
            self.run = lookout.init(self.project, name, baseline=self.baseline, suite=self.suite,
                                    labels=self.labels, **self.init_options)
        return self.run

    def on_train_begin(self, args, state, control, **kwargs):
        if self._main(state):
            try:
                self._ensure_run(args)
            except Exception as e:
                log.warning("Lookout: could not get the run (%s); training continues without Lookout", e)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not self._main(state) or not logs or self.run is None:
            return
        metrics = metrics_of_row(logs)
        if metrics:
            self.run.log(metrics, step=state.global_step)

    def on_save(self, args, state, control, **kwargs):
        if not self._main(state) or self.run is None or (self.target is None and self.adapter is None):
            return
        step = state.global_step
        fields = {"run": self.run.name, "step": step, "output_dir": getattr(args, "output_dir", ""),
                  "project": self.run.project}
        try:
            if self.target is not None:
                target = {k: str(v).format(**fields) for k, v in self.target.items()}
                self.run.checkpoint(step, target=target, wait=False)
            else:
                self.run.checkpoint(step, adapter=str(self.adapter).format(**fields),
                                    endpoint=self.adapter_endpoint, wait=False)
        except Exception as e:
            log.warning("Lookout: checkpoint %s not registered (%s)", step, e)

    def on_train_end(self, args, state, control, **kwargs):
        if not self._main(state) or self.run is None:
            return
        if self.finish_on_train_end:
            self.run.finish()
        else:
            self.run.flush()


def _basename(path):
    import os
    return os.path.basename(os.path.normpath(path)) if path else None
