"""A run seen from the training job: metrics buffered and sent in batches by a background thread that never
blocks or raises into training; what cannot be sent goes to an on-disk spool and is replayed in order."""
import atexit
import collections
import logging
import os
import threading
import time
import urllib.parse

from ._http import RETRY_STATUSES, LookoutError
from .names import numeric, wire_value
from .spool import Spool

log = logging.getLogger("lookout")


def default_spool_dir():
    return os.environ.get("LOOKOUT_SPOOL_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "lookout", "spool")


class Pending:
    """The outcome of a request handed to the sender: result (the answer's JSON), spooled, or error."""

    def __init__(self):
        self._done = threading.Event()
        self.result = None
        self.error = None
        self.spooled = False

    def settle(self, result=None, error=None, spooled=False):
        self.result, self.error, self.spooled = result, error, spooled
        self._done.set()

    def wait(self, timeout):
        return self._done.wait(timeout)


class Run:
    """Use lookout.init() to get one. Thread-safe; log() only appends to memory."""

    def __init__(self, api, data, spool_dir=None, spool_max_bytes=256 * 1024 * 1024, batch_size=500,
                 flush_interval=2.0, max_queue=200_000, send_retries=2, down_backoff=(1.0, 60.0)):
        self.api = api
        self.data = data
        self.id = data["id"]
        self.name = data.get("name")
        self.project = data.get("project")
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.max_queue = max_queue
        self.send_retries = send_retries
        self.spool = Spool(os.path.join(spool_dir or default_spool_dir(), self.id), spool_max_bytes)
        self.dropped_points = 0
        self.stored_points = 0      # what Lookout said it stored, from the answers to POST /metrics
        self.duplicate_points = 0   # re-sent points Lookout already had (a retry whose first answer was lost)
        self._down_backoff = down_backoff
        self._down_wait = down_backoff[0]
        self._next_try = 0.0
        self._cond = threading.Condition()
        self._queue = collections.deque()
        self._busy = False
        self._flush = False
        self._stopping = False
        self._step = -1
        self._warned = set()
        self._thread = threading.Thread(target=self._loop, name="lookout-sender-" + self.id[:8], daemon=True)
        self._thread.start()
        atexit.register(self._at_exit)

    # ---- called from training ------------------------------------------------------------------------------

    def log(self, metrics, step=None, wall_time=None):
        """Queues {name: number} at step (the previous step + 1 when omitted). Never raises, never waits."""
        try:
            step = self._step + 1 if step is None else int(step)
            self._step = max(self._step, step)
            wall = time.time() if wall_time is None else float(wall_time)
            points = []
            for name, value in metrics.items():
                number = numeric(value)
                if number is None:
                    number = _tensor_value(value)
                if number is None:
                    self._warn_once("skip:" + str(name), "Lookout: %r is not a number (%r); not sent", name, value)
                    continue
                points.append({"name": str(name), "step": step, "value": wire_value(number), "wallTime": wall})
            self._enqueue_points(points)
        except Exception as e:  # training must go on whatever the metrics look like
            self._warn_once("log", "Lookout: run.log failed (%s); training continues", e)

    def _enqueue_points(self, points):
        with self._cond:
            room = self.max_queue - len(self._queue)
            if room < len(points):
                self.dropped_points += len(points) - max(room, 0)
                self._warn_once("queue", "Lookout: the in-memory queue is full (%d); points are dropped",
                                self.max_queue)
                points = points[:max(room, 0)]
            self._queue.extend(("point", p) for p in points)
            if len(self._queue) >= self.batch_size:
                self._cond.notify_all()

    def checkpoint(self, step, target=None, adapter=None, endpoint=None, label=None, wait=True, timeout=60.0,
                   adapter_name=None):
        """Registers a checkpoint after the metrics logged so far. target={"endpoint", "model"} names a served
        model; adapter="path" asks Lookout to load that LoRA adapter on endpoint (an endpoint with
        adapterLoading=vllm) under adapter_name (default "<run>-<step>"). Returns the checkpoint as Lookout
        answered it, or None (spooled, refused, or not yet known)."""
        if (target is None) == (adapter is None):
            raise ValueError("pass exactly one of target={'endpoint', 'model'} or adapter='path'")
        if adapter is not None and not endpoint:
            raise ValueError("adapter='path' needs endpoint= (the endpoint that loads it)")
        body = {"step": int(step)}
        if label:
            body["label"] = label
        if target is not None:
            body["target"] = {"endpoint": target["endpoint"], "model": target["model"]}
        else:
            body["adapter"] = {"path": str(adapter), "endpoint": endpoint}
            if adapter_name:
                body["adapter"]["name"] = adapter_name
        pending = self._submit("POST", "/api/runs/%s/checkpoints" % self.id, body)
        if wait and pending.wait(timeout):
            return pending.result
        return None

    def report(self):
        """The round report (GET /api/rounds/{run}); raises LookoutError when Lookout cannot answer."""
        return self.api.request("GET", "/api/rounds/" + urllib.parse.quote(self.id, safe=""))[2]

    def flush(self, timeout=30.0):
        """Waits until everything logged so far is sent or spooled. True when it is."""
        with self._cond:
            self._flush = True
            self._cond.notify_all()
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout)

    def finish(self, status="finished", timeout=60.0):
        """Flushes, reports the run's status (finished or failed) and stops the sender."""
        pending = self._submit("PATCH", "/api/runs/%s" % self.id, {"status": status})
        pending.wait(timeout)
        self.close(timeout)
        return pending.result

    def close(self, timeout=30.0):
        self.flush(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(timeout)
        atexit.unregister(self._at_exit)

    def _at_exit(self):
        if self._thread.is_alive():
            self.flush(10.0)

    def _submit(self, method, path, body):
        pending = Pending()
        with self._cond:
            self._queue.append(("request", method, path, body, pending))
            self._cond.notify_all()
        return pending

    def _warn_once(self, key, message, *args):
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message, *args)

    # ---- the sender thread ---------------------------------------------------------------------------------

    def _loop(self):
        while True:
            with self._cond:
                self._cond.wait_for(self._ready, self.flush_interval)
                items = self._take()
                if not items and self._stopping:
                    return
                self._busy = True
            try:
                self._deliver(items)
            except Exception as e:  # the sender must survive anything
                self._warn_once("sender", "Lookout: sender error (%s)", e)
            finally:
                with self._cond:
                    self._busy = False
                    if not self._queue:
                        self._flush = False
                    self._cond.notify_all()

    def _ready(self):
        q = self._queue
        return self._stopping or self._flush or len(q) >= self.batch_size or any(i[0] == "request" for i in q)

    def _take(self):
        """Up to batch_size points, or one request, in queue order."""
        items = []
        while self._queue and len(items) < self.batch_size:
            if self._queue[0][0] == "request":
                if not items:
                    items.append(self._queue.popleft())
                break
            items.append(self._queue.popleft())
        return items

    def _deliver(self, items):
        if items and items[0][0] == "request":
            _, method, path, body, pending = items[0]
        elif items:
            method, path, body, pending = "POST", "/api/runs/%s/metrics" % self.id, {
                "points": [i[1] for i in items]}, None
        else:
            self._replay()
            return
        # a checkpoint, finish() or flush() tries Lookout now even while backing off: otherwise a job that ends
        # soon after Lookout came back would leave everything in the spool for the next process
        force = items[0][0] == "request" or self._flush or self._stopping
        if not self._replay(force):
            spooled = self.spool.append(method, path, body)
            if pending:
                pending.settle(spooled=spooled)
            return
        outcome = self._send(method, path, body)
        if outcome == "down":
            spooled = self.spool.append(method, path, body)
            if pending:
                pending.settle(spooled=spooled)
        elif pending:
            pending.settle(result=outcome[1], error=outcome[0])

    def _send(self, method, path, body):
        """("down") when Lookout is unreachable, else (error, result)."""
        try:
            result = self.api.request(method, path, body, retries=self.send_retries)[2]
            self._down_wait = self._down_backoff[0]
            self._next_try = 0.0
            if path.endswith("/metrics") and isinstance(result, dict):
                self.stored_points += int(result.get("stored") or 0)
                self.duplicate_points += int(result.get("duplicates") or 0)
            return None, result
        except LookoutError as e:
            if e.status is None or e.status in RETRY_STATUSES or e.status == 401:
                self._next_try = time.monotonic() + self._down_wait
                self._warn_once("down", "Lookout unreachable (%s); spooling to %s and retrying", e,
                                self.spool.directory)
                self._down_wait = min(self._down_backoff[1], self._down_wait * 2)
                return "down"
            if not (e.status == 409 and path.endswith("/checkpoints")):
                log.warning("Lookout refused %s %s: %s (not retried)", method, path, e)
            return e, e.problem

    def _replay(self, force=False):
        """Sends spooled requests oldest first. True when the spool is empty afterwards. While Lookout is down it
        waits for the backoff unless force (then it tries once)."""
        while True:
            oldest = self.spool.oldest()
            if oldest is None:
                return True
            if time.monotonic() < self._next_try and not force:
                return False
            force = False
            name, req = oldest
            if self._send(req["method"], req["path"], req["body"]) == "down":
                return False
            self.spool.remove(name)
            if "down" in self._warned:
                self._warned.discard("down")
                log.warning("Lookout reachable again; replaying the spool")


def _tensor_value(value):
    """A 0-d torch/numpy value as a float (without importing either)."""
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return numeric(item())
        except (TypeError, ValueError, RuntimeError):
            return None
    return None
