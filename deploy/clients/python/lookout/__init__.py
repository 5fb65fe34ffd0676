"""Lookout for training jobs.

    import lookout
    run = lookout.init("demo", "sft-v3", baseline={"endpoint": "vllm", "model": "qwen2.5-7b"}, suite="smoke")
    run.log({"train/loss": loss}, step=step)
    run.checkpoint(step, target={"endpoint": "vllm", "model": f"sft-v3-{step}"})
    run.finish()

Credentials come from LOOKOUT_URL, LOOKOUT_TOKEN_URL, LOOKOUT_CLIENT_ID and LOOKOUT_CLIENT_SECRET (or arguments).
"""
import urllib.parse

from ._http import Api, LookoutError, TokenProvider
from .run import Run

__version__ = "0.1.0"
__all__ = ["init", "resume", "find_run", "Run", "Api", "TokenProvider", "LookoutError", "__version__"]


def _api(api, url, token_url, client_id, client_secret, token):
    return api or Api.from_env(url=url, token_url=token_url, client_id=client_id, client_secret=client_secret,
                               token=token)


def find_run(api, project, name):
    """The run named exactly name in project, or None."""
    runs = api.request("GET", "/api/runs", query={"project": project, "name": name})[2] or []
    return next((r for r in runs if r.get("name") == name), None)


def init(project, run, baseline=None, suite=None, labels=None, url=None, token_url=None, client_id=None,
         client_secret=None, token=None, api=None, **run_options):
    """Gets or creates the run named run in project (PUT /api/projects/{project}/runs/{run}) and returns a Run.

    baseline={"endpoint": name, "model": name} is needed to create the run; without it the run must exist.
    run_options go to Run (spool_dir, spool_max_bytes, batch_size, flush_interval, ...)."""
    api = _api(api, url, token_url, client_id, client_secret, token)
    if baseline is None:
        data = find_run(api, project, run)
        if data is None:
            raise LookoutError("run %r does not exist in project %r; pass baseline= to create it" % (run, project))
        return Run(api, data, **run_options)
    body = {"baseline": {"endpoint": baseline["endpoint"], "model": baseline["model"]}}
    if suite is not None:
        body["suite"] = suite
    if labels:
        body["labels"] = dict(labels)
    path = "/api/projects/%s/runs/%s" % (urllib.parse.quote(project, safe=""), urllib.parse.quote(run, safe=""))
    try:
        data = api.request("PUT", path, body)[2]
    except LookoutError as e:
        if e.status != 409:  # another job created it at the same moment: it exists now
            raise
        data = api.request("PUT", path, body)[2]
    return Run(api, data, **run_options)


def resume(run_id, url=None, token_url=None, client_id=None, client_secret=None, token=None, api=None,
           **run_options):
    """A Run for an existing run id (GET /api/runs/{id})."""
    api = _api(api, url, token_url, client_id, client_secret, token)
    data = api.request("GET", "/api/runs/" + urllib.parse.quote(run_id, safe=""))[2]
    return Run(api, data, **run_options)
