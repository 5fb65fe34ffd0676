import unittest

from lookout import Api, LookoutError, TokenProvider

from .fake_lookout import CLIENT_ID, CLIENT_SECRET
from .support import FakeLookoutCase


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class TokenTest(FakeLookoutCase):

    def test_renews_the_token_before_it_expires(self):
        clock = Clock()
        api = self.make_api(clock=clock)
        api.request("GET", "/api/runs")
        clock.now += 800  # 900 s tokens are renewed 60 s before their end
        api.request("GET", "/api/runs")
        self.assertEqual(["tok-1"], self.fake.tokens)
        clock.now += 45
        api.request("GET", "/api/runs")
        self.assertEqual(["tok-1", "tok-2"], self.fake.tokens)
        self.assertEqual(["tok-1", "tok-1", "tok-2"], self.fake.used_tokens)

    def test_renews_once_when_lookout_answers_401(self):
        self.api.request("GET", "/api/runs")
        self.fake.revoked.add("tok-1")
        status, _, _ = self.api.request("GET", "/api/runs")
        self.assertEqual(200, status)
        self.assertEqual(["tok-1", "tok-2"], self.fake.tokens)

    def test_wrong_secret_is_an_error_that_names_the_cause(self):
        api = Api(self.fake.url, TokenProvider(self.fake.token_url, CLIENT_ID, "wrong"), sleep=self.sleeps.append)
        with self.assertRaises(LookoutError) as e:
            api.request("GET", "/api/runs")
        self.assertIn("client id and secret", str(e.exception))
        self.assertEqual([], self.sleeps)


class RetryTest(FakeLookoutCase):

    def test_honours_retry_after_on_429_and_backs_off_on_503(self):
        self.fake.fail_next("GET", "/api/runs", 429, {"Retry-After": "3"})
        self.fake.fail_next("GET", "/api/runs", 503)
        status, _, body = self.api.request("GET", "/api/runs", query={"project": "demo"})
        self.assertEqual(200, status)
        self.assertEqual([], body)
        self.assertEqual(2, len(self.sleeps))
        self.assertEqual(3.0, self.sleeps[0])
        self.assertTrue(0.5 * 0.5 <= self.sleeps[1] <= 1.0, self.sleeps)
        self.assertEqual([429, 503, 200], self.fake.statuses_of("GET", "/api/runs"))

    def test_backoff_grows_exponentially_with_jitter(self):
        api = self.make_api(backoff=1.0, max_backoff=100.0)
        for attempt in range(5):
            d = api.delay(attempt)
            self.assertTrue(0.5 * 2 ** attempt <= d <= 2 ** attempt, (attempt, d))

    def test_gives_up_on_connection_errors_after_the_retries(self):
        api = Api("http://127.0.0.1:9", TokenProvider(token="static"), retries=2, sleep=self.sleeps.append)
        with self.assertRaises(LookoutError) as e:
            api.request("GET", "/api/runs")
        self.assertIsNone(e.exception.status)
        self.assertEqual(2, len(self.sleeps))

    def test_does_not_retry_a_4xx(self):
        with self.assertRaises(LookoutError) as e:
            self.api.request("GET", "/api/runs/nope")
        self.assertEqual(404, e.exception.status)
        self.assertEqual("run not found: nope", e.exception.problem["detail"])
        self.assertEqual([], self.sleeps)


if __name__ == "__main__":
    unittest.main()
