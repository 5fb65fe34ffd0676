"""A bounded on-disk spool: requests that could not reach Lookout, one JSON line per file, replayed in order."""
import json
import logging
import os
import threading

log = logging.getLogger("lookout")


class Spool:
    """Files NNNNNNNNNNNN.jsonl in directory, each holding one request {"method", "path", "body"} on one line. At
    most max_bytes in all; past that a request is dropped with a warning (once per episode) and counted."""

    def __init__(self, directory, max_bytes=256 * 1024 * 1024):
        self.directory = directory
        self.max_bytes = max_bytes
        self.dropped_points = 0
        self.dropped_requests = 0
        self._lock = threading.Lock()
        self._full_warned = False
        os.makedirs(directory, exist_ok=True)
        self._seq = max([self._number(n) for n in self._names()] or [0])
        self._bytes = sum(os.path.getsize(os.path.join(directory, n)) for n in self._names())

    @staticmethod
    def _number(name):
        return int(name.split(".", 1)[0])

    def _names(self):
        return sorted(n for n in os.listdir(self.directory) if n.endswith(".jsonl") and n.split(".")[0].isdigit())

    def __len__(self):
        with self._lock:
            return len(self._names())

    @property
    def size_bytes(self):
        return self._bytes

    def append(self, method, path, body):
        line = (json.dumps({"method": method, "path": path, "body": body}, allow_nan=False) + "\n").encode("utf-8")
        with self._lock:
            if self._bytes + len(line) > self.max_bytes:
                points = len(body.get("points", ())) if isinstance(body, dict) else 0
                self.dropped_points += points
                self.dropped_requests += 1
                if not self._full_warned:
                    log.warning("Lookout spool is FULL (%d of %d bytes in %s): Lookout has been unreachable for a "
                                "while and new data is being DROPPED (%d points so far). Raise spool_max_bytes or "
                                "bring Lookout back; what is spooled will be replayed.", self._bytes, self.max_bytes,
                                self.directory, self.dropped_points)
                    self._full_warned = True
                return False
            self._seq += 1
            final = os.path.join(self.directory, "%012d.jsonl" % self._seq)
            tmp = final + ".tmp"
            with open(tmp, "wb") as f:
                f.write(line)
            os.replace(tmp, final)
            self._bytes += len(line)
            return True

    def oldest(self):
        """(name, request) of the oldest spooled request, or None."""
        with self._lock:
            names = self._names()
            if not names:
                return None
            with open(os.path.join(self.directory, names[0]), encoding="utf-8") as f:
                return names[0], json.loads(f.readline())

    def remove(self, name):
        with self._lock:
            full = os.path.join(self.directory, name)
            size = os.path.getsize(full)
            os.remove(full)
            self._bytes -= size
            if self._full_warned and self._bytes < self.max_bytes // 2:
                self._full_warned = False
                log.warning("Lookout spool has room again (%d bytes); %d points were dropped while it was full",
                            self._bytes, self.dropped_points)
