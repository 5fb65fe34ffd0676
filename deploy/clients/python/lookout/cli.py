"""The lookout command: lookout watch <output_dir> | lookout gate --run NAME."""
import argparse
import json
import logging
import os
import signal
import sys
import threading

from . import __version__, init
from ._http import Api, LookoutError
from .gate import UNDECIDED, gate
from .watch import Watcher


def _common(p):
    env = os.environ.get
    p.add_argument("--url", default=env("LOOKOUT_URL"), help="Lookout gateway URL (LOOKOUT_URL)")
    p.add_argument("--token-url", default=env("LOOKOUT_TOKEN_URL"), help="OIDC token URL (LOOKOUT_TOKEN_URL)")
    p.add_argument("--client-id", default=env("LOOKOUT_CLIENT_ID"), help="OIDC client id (LOOKOUT_CLIENT_ID)")
    p.add_argument("--client-secret", default=env("LOOKOUT_CLIENT_SECRET"),
                   help="OIDC client secret (LOOKOUT_CLIENT_SECRET; prefer the variable to the flag)")
    p.add_argument("--project", default=env("LOOKOUT_PROJECT"), help="project key (LOOKOUT_PROJECT)")


def parser():
    p = argparse.ArgumentParser(prog="lookout", description="Lookout from training jobs and CI pipelines.")
    p.add_argument("--version", action="version", version="lookout-client " + __version__)
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command")
    w = sub.add_parser("watch", help="follow a LLaMA-Factory / HF Trainer output folder")
    _common(w)
    w.add_argument("output_dir")
    w.add_argument("--run", help="run name (default: the folder's name)")
    w.add_argument("--baseline", metavar="ENDPOINT/MODEL", help="baseline target, to create the run")
    w.add_argument("--suite", help="probe suite, when creating the run")
    w.add_argument("--label", action="append", default=[], metavar="KEY=VALUE")
    w.add_argument("--target", metavar="ENDPOINT/MODEL_TEMPLATE",
                   help='served checkpoint, e.g. "vllm/{run}-{step}" ({run} {step} {output_dir} {project})')
    w.add_argument("--adapter", metavar="PATH_TEMPLATE",
                   help='LoRA adapter path to load, e.g. "{output_dir}/checkpoint-{step}" (needs adapter loading '
                        "on the endpoint server-side)")
    w.add_argument("--adapter-endpoint", help="endpoint that loads --adapter")
    w.add_argument("--state", help="state file (default <output_dir>/.lookout-watch.json)")
    w.add_argument("--interval", type=float, default=10.0, help="seconds between scans (default 10)")
    w.add_argument("--once", action="store_true", help="scan once and exit")
    w.add_argument("--spool-dir", help="spool directory (default ~/.cache/lookout/spool)")
    g = sub.add_parser("gate", help="pass/fail/undecided from a run's round report (exit 0/1/2)")
    _common(g)
    g.add_argument("--run", required=True, help="run id or name (a name needs --project)")
    g.add_argument("--checkpoint", type=int, metavar="STEP", help="checkpoint step (default: the latest)")
    g.add_argument("--min-win-rate", type=float, default=0.5, help="lowest passing win rate (default 0.5)")
    g.add_argument("--require-decided", action="store_true", help="undecided (2) until the verdict is decided")
    g.add_argument("--require", action="append", default=[],
                   choices=["decided", "decided-better", "no-alarm", "no-new-stock-phrases"],
                   help="decided: as --require-decided; decided-better: decided and a win rate above 0.5; "
                        "no-alarm: fail on any alarm of the checkpoint; no-new-stock-phrases: fail when stock "
                        "phrases rose against the base (undecided while unknown)")
    g.add_argument("--wait", type=float, default=0.0, help="seconds to wait for a decision (default 0)")
    g.add_argument("--poll", type=float, default=30.0, help="seconds between reads while waiting")
    return p


def _api(a):
    return Api.from_env(url=a.url, token_url=a.token_url, client_id=a.client_id, client_secret=a.client_secret)


def _split_target(value):
    endpoint, sep, model = value.partition("/")
    if not sep or not endpoint or not model:
        raise SystemExit("expected ENDPOINT/MODEL, got %r" % value)
    return {"endpoint": endpoint, "model": model}


def _watch(a):
    if a.target and a.adapter:
        raise SystemExit("pass --target or --adapter, not both")
    if a.adapter and not a.adapter_endpoint:
        raise SystemExit("--adapter needs --adapter-endpoint (the endpoint that loads it)")
    labels = dict(kv.split("=", 1) for kv in a.label if "=" in kv)
    name = a.run or os.path.basename(os.path.normpath(a.output_dir))
    run = init(a.project, name, baseline=_split_target(a.baseline) if a.baseline else None, suite=a.suite,
               labels=labels or None, api=_api(a), spool_dir=a.spool_dir)
    watcher = Watcher(run, a.output_dir, target=_split_target(a.target) if a.target else None, adapter=a.adapter,
                      adapter_endpoint=a.adapter_endpoint, state_path=a.state)
    print("watching %s for run %s (%s)" % (watcher.output_dir, run.name, run.id), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while True:
            rows, ckpts = watcher.scan()
            if rows or ckpts:
                print("sent %d log rows, registered %d checkpoints" % (rows, ckpts), flush=True)
            if a.once or stop.wait(a.interval):
                break
    except KeyboardInterrupt:
        pass
    finally:
        run.close()
    return 0


def main(argv=None):
    a = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if a.verbose else logging.INFO, format="lookout: %(message)s")
    if a.command is None:
        parser().print_help()
        return 2
    try:
        if a.command == "watch":
            if not a.project:
                raise SystemExit("--project (or LOOKOUT_PROJECT) is required")
            return _watch(a)
        return gate(_api(a), a.run, project=a.project, step=a.checkpoint, min_win_rate=a.min_win_rate,
                    require_decided=a.require_decided or "decided" in a.require, no_alarm="no-alarm" in a.require,
                    wait=a.wait, poll=a.poll, decided_better="decided-better" in a.require,
                    no_new_stock_phrases="no-new-stock-phrases" in a.require)
    except LookoutError as e:
        print("lookout: %s" % e, file=sys.stderr)
        if e.problem:
            print(json.dumps(e.problem, indent=2), file=sys.stderr)
        return UNDECIDED if a.command == "gate" else 1


if __name__ == "__main__":
    sys.exit(main())
