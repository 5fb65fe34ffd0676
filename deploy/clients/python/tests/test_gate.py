import io
import os
import unittest
from contextlib import redirect_stdout

from lookout import cli
from lookout.gate import evaluate, gate

from .fake_lookout import CLIENT_ID, CLIENT_SECRET
from .support import FakeLookoutCase


def verdict(wins, losses, decided, ties=0):
    votes = wins + losses + ties
    rate = (wins + ties / 2) / votes if votes else None
    return {"wins": wins, "ties": ties, "losses": losses, "bothBad": 0, "votes": votes, "winRate": rate,
            "low": None if rate is None else max(0.0, rate - 0.2), "high": None if rate is None else min(1.0, rate + 0.2),
            "decided": decided}


def row(step, v=None, alarms=None):
    return {"checkpointId": "c%d" % step, "step": step, "target": {"endpoint": "vllm", "model": "m-%d" % step},
            "loss": {"train": 1.2, "trainDelta": -0.1, "eval": None, "evalDelta": None}, "verdict": v,
            "alarms": alarms or [], "flags": [], "missing": [] if v else ["verdict"]}


class GateCommandTest(FakeLookoutCase):

    def setUp(self):
        super().setUp()
        self.run = self.init("gated")
        self.env = {"LOOKOUT_URL": self.fake.url, "LOOKOUT_TOKEN_URL": self.fake.token_url,
                    "LOOKOUT_CLIENT_ID": CLIENT_ID, "LOOKOUT_CLIENT_SECRET": CLIENT_SECRET}

    def report(self, *rows):
        self.fake.reports[self.run.id] = {"run": {"id": self.run.id, "name": "gated", "project": "demo"},
                                          "checkpoints": list(rows), "missing": []}

    def gate(self, *args):
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        out = io.StringIO()
        try:
            with redirect_stdout(out):
                code = cli.main(["gate"] + list(args))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return code, out.getvalue()

    def test_passes_a_decided_win(self):
        self.report(row(100, verdict(2, 8, True)), row(200, verdict(9, 1, True)))
        code, out = self.gate("--run", "gated", "--project", "demo")
        self.assertEqual(0, code, out)
        self.assertIn("checkpoint step 200", out)
        self.assertIn("PASS: win rate 0.900 >= 0.5", out)

    def test_fails_a_decided_loss_by_run_id(self):
        self.report(row(100, verdict(2, 8, True)))
        code, out = self.gate("--run", self.run.id, "--min-win-rate", "0.6")
        self.assertEqual(1, code, out)
        self.assertIn("FAIL: win rate 0.200 < 0.6", out)

    def test_is_undecided_without_votes_or_when_a_decision_is_required(self):
        self.report(row(100), row(200, verdict(3, 1, False)))
        code, out = self.gate("--run", "gated", "--project", "demo", "--checkpoint", "100")
        self.assertEqual(2, code, out)
        self.assertIn("no human verdict yet", out)
        code, out = self.gate("--run", "gated", "--project", "demo", "--require-decided")
        self.assertEqual(2, code, out)
        self.assertIn("not decided", out)
        code, out = self.gate("--run", "gated", "--project", "demo")
        self.assertEqual(0, code, out)

    def test_waits_for_the_round_to_settle(self):
        self.report(row(100))
        sleeps, lines = [], []

        def sleep(seconds):
            sleeps.append(seconds)
            self.report(row(100, verdict(9, 1, True)))

        self.assertEqual(0, gate(self.api, self.run.id, wait=600, poll=30, out=lines.append, sleep=sleep))
        self.assertEqual([30], sleeps)
        self.assertEqual("gate: PASS", lines[-1])

    def test_no_alarm_fails_a_checkpoint_with_an_alarm(self):
        alarm = {"kind": "spike", "severity": "warning", "fromStep": 150, "toStep": 160, "message": "loss spike"}
        self.report(row(200, verdict(9, 1, True), alarms=[alarm]))
        code, out = self.gate("--run", "gated", "--project", "demo", "--require", "no-alarm")
        self.assertEqual(1, code, out)
        code, out = self.gate("--run", "gated", "--project", "demo", "--require", "decided-better")
        self.assertEqual(0, code, out)
        self.assertIn("loss spike", out)

    def test_an_unknown_run_is_undecided_with_the_reason_on_stderr(self):
        self.report()
        code, out = self.gate("--run", "nope", "--project", "demo")
        self.assertEqual(2, code)
        code, out = self.gate("--run", "gated", "--project", "demo")
        self.assertEqual(2, code)
        self.assertIn("no checkpoint in the round report yet", out)


class EvaluateTest(unittest.TestCase):

    def test_decided_better_needs_a_decided_win_rate_above_a_half(self):
        report = {"run": {}, "checkpoints": [row(100, verdict(5, 5, True))]}
        self.assertEqual(1, evaluate(report, min_win_rate=0.5, decided_better=True)[0])
        self.assertEqual(0, evaluate(report, min_win_rate=0.5)[0])
        report["checkpoints"] = [row(100, verdict(7, 3, False))]
        self.assertEqual(2, evaluate(report, decided_better=True)[0])
        report["checkpoints"] = [row(100, verdict(7, 3, True))]
        self.assertEqual(0, evaluate(report, decided_better=True)[0])

    def test_no_new_stock_phrases_fails_when_one_rose_and_waits_while_unknown(self):
        r = row(100, verdict(9, 1, True))
        report = {"run": {}, "checkpoints": [r]}
        self.assertEqual(2, evaluate(report, no_new_stock_phrases=True)[0])
        r["behaviour"] = {"stockPhrases": []}
        self.assertEqual(0, evaluate(report, no_new_stock_phrases=True)[0])
        r["behaviour"] = {"stockPhrases": [{"phrase": "As an AI", "candidateCount": 7, "baselineCount": 1}]}
        code, lines = evaluate(report, no_new_stock_phrases=True)
        self.assertEqual(1, code)
        self.assertIn("stock phrase rose: 'As an AI' (7 vs 1 in the baseline)", lines)

    def test_tolerates_a_recommendation_and_missing_fields(self):
        report = {"run": {}, "recommendation": {"summary": "promote step 200"},
                  "checkpoints": [{"step": 200, "verdict": {"votes": 4, "winRate": 0.75, "decided": True}}]}
        code, lines = evaluate(report)
        self.assertEqual(0, code)
        self.assertIn("recommendation: promote step 200", lines)


if __name__ == "__main__":
    unittest.main()
