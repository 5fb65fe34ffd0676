"""An in-process stand-in for the Lookout gateway and its OIDC token endpoint (standard library only), with the
request and answer shapes of the real API, plus switches to make it fail."""
import json
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID, CLIENT_SECRET = "training-job", "s3cret"


class FakeLookout:

    def __init__(self, token_life=900):
        self.token_life = token_life
        self.lock = threading.Lock()
        self.runs = {}
        self.points = []          # (run id, point) in arrival order, re-sent ones too
        self.metric_posts = []    # number of points per POST
        self.checkpoints = []     # (run id, body)
        self.statuses = []        # (run id, status)
        self.reports = {}         # run id -> round report
        self.tokens = []          # issued, in order
        self.revoked = set()
        self.used_tokens = []     # token of every /api request
        self.log = []             # (method, path, status)
        self.script = []          # [(method, path prefix, status, headers)], consumed first-match
        self.down = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.token_url = self.url + "/token"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, method, prefix, status, headers=None):
        with self.lock:
            self.script.append((method, prefix, status, headers or {}))

    def points_of(self, run_id, name=None):
        with self.lock:
            return [p for r, p in self.points if r == run_id and (name is None or p["name"] == name)]

    def statuses_of(self, method, prefix):
        with self.lock:
            return [s for m, p, s in self.log if m == method and p.startswith(prefix)]

    # ---- routes ----------------------------------------------------------------------------------------------

    def handle(self, method, path, query, body):
        parts = path.strip("/").split("/")
        if method == "PUT" and len(parts) == 5 and parts[:2] == ["api", "projects"] and parts[3] == "runs":
            return self._put_run(urllib.parse.unquote(parts[2]), urllib.parse.unquote(parts[4]), body)
        if method == "GET" and parts == ["api", "runs"]:
            runs = [r for r in self.runs.values() if r["project"] == query.get("project", r["project"])
                    and r["name"] == query.get("name", r["name"])]
            return 200, {}, runs
        if parts[:2] == ["api", "runs"] and len(parts) >= 3:
            run = self.runs.get(parts[2])
            if run is None:
                return _problem(404, "run not found: " + parts[2])
            return self._run_route(method, run, parts[3:], body)
        if method == "GET" and parts[:2] == ["api", "rounds"] and len(parts) == 3:
            return 200, {}, self.reports.get(parts[2], {"run": {"id": parts[2]}, "checkpoints": [], "missing": []})
        return _problem(404, "no such resource")

    def _put_run(self, project, name, body):
        if not body or not body.get("baseline", {}).get("model"):
            return _problem(400, "baseline.model must not be blank")
        for run in self.runs.values():
            if run["project"] == project and run["name"] == name:
                return 200, {"Location": "/api/runs/" + run["id"]}, run
        run = {"id": str(uuid.uuid4()), "project": project, "name": name, "labels": body.get("labels") or {},
               "baseline": body["baseline"], "suite": body.get("suite"), "status": "running",
               "createdAt": "2026-01-01T00:00:00Z"}
        self.runs[run["id"]] = run
        return 201, {"Location": "/api/runs/" + run["id"]}, run

    def _run_route(self, method, run, rest, body):
        if method == "GET" and not rest:
            return 200, {}, run
        if method == "PATCH" and not rest:
            run["status"] = body["status"]
            self.statuses.append((run["id"], body["status"]))
            return 200, {}, run
        if method == "POST" and rest == ["metrics"]:
            points = body["points"]
            seen = {(p["name"], p["step"], p["value"]) for r, p in self.points if r == run["id"]}
            duplicates = sum(1 for p in points if (p["name"], p["step"], p["value"]) in seen)
            self.points.extend((run["id"], p) for p in points)
            self.metric_posts.append(len(points))
            return 200, {}, {"stored": len(points) - duplicates, "duplicates": duplicates, "conflicts": 0}
        if method == "POST" and rest == ["checkpoints"]:
            if any(r == run["id"] and c["step"] == body["step"] for r, c in self.checkpoints):
                return _problem(409, "a checkpoint at step %s exists" % body["step"])
            self.checkpoints.append((run["id"], body))
            return 201, {}, dict(body, id=str(uuid.uuid4()), runId=run["id"])
        return _problem(404, "no such resource")

    def issue_token(self, form):
        if form.get("grant_type") != "client_credentials" or form.get("client_id") != CLIENT_ID \
                or form.get("client_secret") != CLIENT_SECRET:
            return 401, {}, {"error": "unauthorized_client"}
        token = "tok-%d" % (len(self.tokens) + 1)
        self.tokens.append(token)
        return 200, {}, {"access_token": token, "expires_in": self.token_life, "token_type": "Bearer"}


def _problem(status, detail):
    return status, {"Content-Type": "application/problem+json"}, {"status": status, "detail": detail}


def _handler(fake):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            return

        def _serve(self):
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            with fake.lock:
                status, headers, payload = self._route(url, raw)
                fake.log.append((self.command, url.path, status))
            data = b"" if payload is None else json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self, url, raw):
            if url.path == "/token" and self.command == "POST":
                return fake.issue_token(dict(urllib.parse.parse_qsl(raw.decode("ascii"))))
            auth = self.headers.get("Authorization", "")
            token = auth[7:] if auth.startswith("Bearer ") else None
            if token not in fake.tokens or token in fake.revoked:
                return _problem(401, "the access token is missing, invalid or expired")
            fake.used_tokens.append(token)
            for i, (m, prefix, status, headers) in enumerate(fake.script):
                if m == self.command and url.path.startswith(prefix):
                    del fake.script[i]
                    return status, dict(headers), {"status": status, "detail": "scripted"}
            if fake.down:
                return 503, {}, {"status": 503, "detail": "down"}
            body = json.loads(raw.decode("utf-8")) if raw else None
            return fake.handle(self.command, url.path, dict(urllib.parse.parse_qsl(url.query)), body)

        do_GET = do_POST = do_PUT = do_PATCH = _serve

    return Handler


def eventually(condition, timeout=10.0, message="condition not met"):
    """Polls condition until it holds (like Awaitility); fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        tick.wait(0.02)
