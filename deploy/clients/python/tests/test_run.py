import json
import logging
import math
import os
import unittest

import lookout
from lookout import LookoutError
from lookout.spool import Spool

from .fake_lookout import eventually
from .support import BASELINE, FakeLookoutCase


class GetOrCreateTest(FakeLookoutCase):

    def test_the_same_name_gives_the_same_run(self):
        first = self.init("sft-v3")
        second = self.init("sft-v3")
        self.assertEqual(first.id, second.id)
        self.assertEqual(1, len(self.fake.runs))
        self.assertEqual([201, 200], self.fake.statuses_of("PUT", "/api/projects/demo/runs/sft-v3"))
        self.assertEqual("smoke", self.fake.runs[first.id]["suite"])

    def test_without_baseline_the_run_must_exist(self):
        created = self.init("sft-v4")
        found = lookout.init("demo", "sft-v4", api=self.api, spool_dir=self.tmp)
        self.addCleanup(found.close, 5.0)
        self.assertEqual(created.id, found.id)
        with self.assertRaises(LookoutError) as e:
            lookout.init("demo", "nope", api=self.api, spool_dir=self.tmp)
        self.assertIn("pass baseline=", str(e.exception))

    def test_names_are_escaped_in_the_path(self):
        run = self.init("sft v3/a")
        self.assertEqual("sft v3/a", self.fake.runs[run.id]["name"])


class BatchingTest(FakeLookoutCase):

    def test_sends_every_point_in_batches_of_at_most_batch_size(self):
        run = self.init(batch_size=100, flush_interval=60.0)
        for step in range(250):
            run.log({"train/loss": 2.0 - step / 1000}, step=step)
        self.assertTrue(run.flush(10.0))
        points = self.fake.points_of(run.id)
        self.assertEqual(list(range(250)), [p["step"] for p in points])
        self.assertTrue(all(n <= 100 for n in self.fake.metric_posts), self.fake.metric_posts)
        self.assertGreaterEqual(len(self.fake.metric_posts), 3)
        self.assertEqual(2.0, points[0]["value"])
        self.assertIn("wallTime", points[0])

    def test_log_never_raises_and_sends_only_numbers(self):
        run = self.init()
        with self.assertLogs("lookout", logging.WARNING):
            run.log({"train/loss": float("nan"), "train/note": "text", "train/flag": True, "eval/x": object()})
        run.log({"train/loss": math.inf})
        run.log(None)
        run.flush(10.0)
        values = [p["value"] for p in self.fake.points_of(run.id)]
        self.assertEqual(["NaN", "Infinity"], values)
        self.assertEqual([0, 1], [p["step"] for p in self.fake.points_of(run.id)])

    def test_finish_flushes_and_reports_the_status(self):
        run = self.init()
        run.log({"train/loss": 1.0}, step=5)
        run.finish()
        self.assertEqual(1, len(self.fake.points_of(run.id)))
        self.assertEqual([(run.id, "finished")], self.fake.statuses)
        self.assertFalse(run._thread.is_alive())


class SpoolTest(FakeLookoutCase):

    def test_nothing_is_lost_while_lookout_is_down_and_replay_keeps_the_order(self):
        run = self.init(send_retries=0)
        self.fake.down = True
        for step in range(30):
            run.log({"train/loss": 1.0}, step=step)
        self.assertTrue(run.flush(10.0))
        self.assertIsNone(run.checkpoint(30, target={"endpoint": "vllm", "model": "sft-v3-30"}, timeout=10.0))
        self.assertGreaterEqual(len(run.spool), 2)
        self.assertEqual([], self.fake.points_of(run.id))
        self.fake.down = False
        for step in range(30, 40):
            run.log({"train/loss": 0.5}, step=step)
        eventually(lambda: run.flush(1.0) and len(self.fake.points_of(run.id)) == 40 and not len(run.spool))
        self.assertEqual(list(range(40)), [p["step"] for p in self.fake.points_of(run.id)])
        self.assertEqual([30], [c["step"] for _, c in self.fake.checkpoints])
        calls = [(m, p) for m, p, s in self.fake.log if s < 300 and m == "POST"]
        self.assertEqual("/api/runs/%s/checkpoints" % run.id, calls[-2][1])  # after the first 30, before the rest

    def test_finish_right_after_lookout_returns_sends_the_spool_instead_of_leaving_it(self):
        run = self.init(send_retries=0, down_backoff=(60.0, 60.0))
        self.fake.down = True
        for step in range(20):
            run.log({"train/loss": 1.0}, step=step)
        self.assertTrue(run.flush(10.0))
        self.assertEqual(1, len(run.spool))
        self.fake.down = False  # back, but the sender would wait a minute before trying again
        run.log({"train/loss": 0.5}, step=20)
        run.finish(timeout=10.0)
        self.assertEqual(0, len(run.spool))
        self.assertEqual(list(range(21)), [p["step"] for p in self.fake.points_of(run.id)])
        self.assertEqual([(run.id, "finished")], self.fake.statuses)

    def test_counts_what_lookout_stored_and_what_it_already_had(self):
        run = self.init()
        for step in range(5):
            run.log({"train/loss": 1.0, "train/learning_rate": 1e-5}, step=step)
        self.assertTrue(run.flush(10.0))
        run.spool.append("POST", "/api/runs/%s/metrics" % run.id,  # as if a lost answer made the client resend
                         {"points": [{"name": "train/loss", "step": 3, "value": 1.0}]})
        run.log({"train/loss": 0.5}, step=5)
        eventually(lambda: run.flush(1.0) and not len(run.spool))
        self.assertEqual(11, run.stored_points)
        self.assertEqual(1, run.duplicate_points)

    def test_a_new_process_replays_what_an_old_one_spooled(self):
        first = self.init("resumed")
        spool = Spool(os.path.join(self.tmp, "spool", first.id))
        spool.append("POST", "/api/runs/%s/metrics" % first.id,
                     {"points": [{"name": "train/loss", "step": 7, "value": 1.5}]})
        first.close()
        second = self.init("resumed")
        eventually(lambda: len(self.fake.points_of(second.id)) == 1)
        self.assertEqual(7, self.fake.points_of(second.id)[0]["step"])
        eventually(lambda: len(second.spool) == 0)

    def test_a_full_spool_warns_and_counts_what_it_drops(self):
        body = {"points": [{"name": "train/loss", "step": s, "value": 1.0} for s in range(3)]}
        line = json.dumps({"method": "POST", "path": "/api/runs/x/metrics", "body": body}) + "\n"
        spool = Spool(os.path.join(self.tmp, "small"), max_bytes=2 * len(line) + 10)
        with self.assertLogs("lookout", logging.WARNING) as logs:
            results = [spool.append("POST", "/api/runs/x/metrics", body) for _ in range(5)]
        self.assertEqual([True, True, False, False, False], results)
        self.assertEqual(9, spool.dropped_points)
        self.assertEqual(1, len(logs.output))
        self.assertIn("FULL", logs.output[0])
        name, request = spool.oldest()
        self.assertEqual(body, request["body"])
        with open(os.path.join(spool.directory, name), encoding="utf-8") as f:
            self.assertEqual(1, len(f.read().splitlines()))
        self.assertEqual("000000000001.jsonl", name)


class CheckpointAndReportTest(FakeLookoutCase):

    def test_registers_target_and_adapter_checkpoints_after_the_metrics(self):
        run = self.init()
        run.log({"train/loss": 1.0}, step=100)
        got = run.checkpoint(100, target={"endpoint": "vllm", "model": "sft-v3-100"}, label="first")
        self.assertEqual("sft-v3-100", got["target"]["model"])
        run.checkpoint(200, adapter="/out/checkpoint-200", endpoint="vllm")
        bodies = [c for _, c in self.fake.checkpoints]
        self.assertEqual({"step": 100, "label": "first", "target": {"endpoint": "vllm", "model": "sft-v3-100"}},
                         bodies[0])
        self.assertEqual({"step": 200, "adapter": {"path": "/out/checkpoint-200", "endpoint": "vllm"}}, bodies[1])
        self.assertEqual(1, len(self.fake.points_of(run.id)))
        run.checkpoint(300, adapter="/out/checkpoint-300", endpoint="vllm", adapter_name="sft-300")
        self.assertEqual({"step": 300, "adapter": {"path": "/out/checkpoint-300", "endpoint": "vllm",
                                                   "name": "sft-300"}}, [c for _, c in self.fake.checkpoints][2])
        with self.assertRaises(ValueError):
            run.checkpoint(400)
        with self.assertRaises(ValueError):
            run.checkpoint(400, adapter="/out/checkpoint-400")

    def test_report_reads_the_round(self):
        run = self.init()
        self.fake.reports[run.id] = {"run": {"id": run.id}, "checkpoints": [{"step": 1}], "missing": []}
        self.assertEqual([{"step": 1}], run.report()["checkpoints"])


if __name__ == "__main__":
    unittest.main()
