"""Metric names as Lookout stores them (the Hugging Face convention): train/loss, eval/loss, train/grad_norm,
train/learning_rate, train/epoch; anything else under train/ or eval/ (eval_accuracy -> eval/accuracy)."""
import math

_ALIASES = {"lr": "learning_rate", "learning_rate": "learning_rate", "loss": "loss", "grad_norm": "grad_norm",
            "epoch": "epoch"}

# Keys of Trainer/LLaMA-Factory log rows that are bookkeeping, not series.
IGNORED = frozenset({
    "step", "current_steps", "total_steps", "percentage", "elapsed_time", "remaining_time", "throughput",
    "total_tokens", "total_flos", "train_runtime", "train_samples_per_second", "train_steps_per_second",
    "eval_runtime", "eval_samples_per_second", "eval_steps_per_second", "train_loss", "num_input_tokens_seen",
})


def metric_name(raw):
    key = raw.strip()
    prefix = "train/"
    lower = key.lower()
    if lower.startswith("train/"):
        key = key[6:]
    elif lower.startswith("eval/") or lower.startswith("eval_"):
        prefix, key = "eval/", key[5:]
    return prefix + _ALIASES.get(key.lower(), key)


def numeric(value):
    """The value as a float when it is a number (bool and strings are not), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def wire_value(value):
    """JSON has no NaN/Infinity: Lookout reads them as strings."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def metrics_of_row(row):
    """Lookout metrics of one Trainer / LLaMA-Factory log row (null, string and bookkeeping values dropped)."""
    out = {}
    for key, value in row.items():
        if key in IGNORED:
            continue
        number = numeric(value)
        if number is not None:
            out[metric_name(key)] = number
    return out
