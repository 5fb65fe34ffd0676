import shutil
import tempfile
import unittest

import lookout
from lookout import Api, TokenProvider

from .fake_lookout import CLIENT_ID, CLIENT_SECRET, FakeLookout

BASELINE = {"endpoint": "vllm", "model": "qwen2.5-7b"}


class FakeLookoutCase(unittest.TestCase):
    """A fresh fake Lookout, a temp folder and an Api without real waiting between retries."""

    def setUp(self):
        self.fake = FakeLookout()
        self.addCleanup(self.fake.stop)
        self.tmp = tempfile.mkdtemp(prefix="lookout-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.sleeps = []
        self.api = self.make_api()

    def make_api(self, clock=None, **kwargs):
        tokens = TokenProvider(self.fake.token_url, CLIENT_ID, CLIENT_SECRET,
                               **({"clock": clock} if clock else {}))
        return Api(self.fake.url, tokens, sleep=self.sleeps.append, **kwargs)

    def init(self, name="sft-v3", **kwargs):
        options = {"spool_dir": self.tmp + "/spool", "flush_interval": 0.05, "down_backoff": (0.05, 0.05)}
        options.update(kwargs)
        run = lookout.init("demo", name, baseline=BASELINE, suite="smoke", api=self.api, **options)
        self.addCleanup(run.close, 5.0)
        return run
