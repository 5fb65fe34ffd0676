"""Talking to Lookout: client-credentials tokens refreshed before they expire, and retries with backoff."""
import email.utils
import json
import logging
import os
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger("lookout")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class LookoutError(Exception):
    """An answer Lookout gave that retrying will not change (4xx), or retries that ran out."""

    def __init__(self, message, status=None, problem=None, headers=None):
        super().__init__(message)
        self.status = status
        self.problem = problem or {}
        self.headers = headers or {}


class TokenProvider:
    """OIDC client credentials (RFC 6749 §4.4). A token is renewed when less than a tenth of its life (at most a
    minute) is left, so a request never leaves with a token that expires on the way."""

    def __init__(self, token_url=None, client_id=None, client_secret=None, token=None, timeout=30.0,
                 clock=time.monotonic):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self._static = token
        self._timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._token = None
        self._renew_at = 0.0

    @property
    def configured(self):
        return bool(self._static or (self.token_url and self.client_id and self.client_secret))

    def token(self, force=False):
        if self._static:
            return self._static
        if not self.configured:
            raise LookoutError("no credentials: set LOOKOUT_TOKEN_URL, LOOKOUT_CLIENT_ID and LOOKOUT_CLIENT_SECRET "
                               "(or pass token_url, client_id, client_secret)")
        with self._lock:
            if force or self._token is None or self._clock() >= self._renew_at:
                self._fetch()
            return self._token

    def _fetch(self):
        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": self.client_id,
                                       "client_secret": self.client_secret}).encode("ascii")
        req = urllib.request.Request(self.token_url, data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/json"})
        started = self._clock()
        try:
            with urllib.request.urlopen(req, timeout=self._timeout) as resp:
                body = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            status = e.code
            e.close()
            raise LookoutError("the token endpoint answered %d (check the client id and secret)" % status,
                               status=status) from None
        self._token = body["access_token"]
        life = float(body.get("expires_in", 300))
        self._renew_at = started + life - min(60.0, life / 10.0)


def _retry_after(headers):
    value = headers.get("Retry-After") if headers else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class Api:
    """JSON over HTTP to the Lookout gateway. Retries 429, 5xx and connection errors with exponential backoff and
    jitter (a Retry-After header wins), renews the token once on 401, and raises LookoutError otherwise."""

    def __init__(self, url, tokens, retries=6, backoff=0.5, max_backoff=30.0, timeout=30.0, sleep=time.sleep):
        if not url:
            raise LookoutError("no Lookout URL: set LOOKOUT_URL or pass url=")
        self.url = url.rstrip("/")
        self.tokens = tokens
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.sleep = sleep

    @classmethod
    def from_env(cls, url=None, token_url=None, client_id=None, client_secret=None, token=None, **kwargs):
        env = os.environ.get
        tokens = TokenProvider(token_url or env("LOOKOUT_TOKEN_URL"), client_id or env("LOOKOUT_CLIENT_ID"),
                               client_secret or env("LOOKOUT_CLIENT_SECRET"), token=token or env("LOOKOUT_TOKEN"))
        return cls(url or env("LOOKOUT_URL"), tokens, **kwargs)

    def delay(self, attempt, headers=None):
        """Seconds to wait before retry number attempt (0-based)."""
        hinted = _retry_after(headers)
        if hinted is not None:
            return min(hinted, self.max_backoff * 4)
        base = min(self.max_backoff, self.backoff * (2 ** attempt))
        return base * random.uniform(0.5, 1.0)

    def request(self, method, path, body=None, query=None, retries=None):
        """Returns (status, headers, parsed JSON or None)."""
        retries = self.retries if retries is None else retries
        url = self.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        renewed = False
        attempt = 0
        while True:
            try:
                return self._once(method, url, data)
            except _Unauthorized as e:
                if renewed:
                    raise LookoutError("Lookout refused the token (401): %s" % e.detail, status=401) from None
                renewed = True
                self.tokens.token(force=True)
                continue
            except _Retryable as e:
                if attempt >= retries:
                    raise LookoutError("%s %s failed after %d attempts: %s" % (method, path, attempt + 1, e.reason),
                                       status=e.status) from None
                wait = self.delay(attempt, e.headers)
                log.debug("%s %s: %s; retrying in %.1f s", method, path, e.reason, wait)
                self.sleep(wait)
                attempt += 1

    def _once(self, method, url, data):
        try:
            token = self.tokens.token()
        except LookoutError as e:
            if e.status is not None and e.status not in RETRY_STATUSES:
                raise
            raise _Retryable("token endpoint: %s" % e, e.status, None) from None
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError, ValueError, KeyError) as e:
            raise _Retryable("token endpoint unreachable: %s" % getattr(e, "reason", e), None, None) from None
        headers = {"Accept": "application/json, application/problem+json", "Authorization": "Bearer " + token}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, dict(resp.headers.items()), _json(resp.read())
        except urllib.error.HTTPError as e:
            status, hdrs, payload = e.code, dict(e.headers.items()) if e.headers else {}, _json(e.read())
            e.close()
            detail = payload.get("detail") if isinstance(payload, dict) else None
            if status == 401:
                raise _Unauthorized(detail or "unauthorized")
            if status in RETRY_STATUSES:
                raise _Retryable("HTTP %d" % status, status, hdrs)
            raise LookoutError("%s %s answered %d: %s" % (req.get_method(), url, status, detail or "(no detail)"),
                               status=status, problem=payload if isinstance(payload, dict) else None,
                               headers=hdrs) from None
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError) as e:
            raise _Retryable(str(getattr(e, "reason", e)), None, None)


def _json(raw):
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return None


class _Unauthorized(Exception):
    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


class _Retryable(Exception):
    def __init__(self, reason, status, headers):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.headers = headers
