"""The CI gate: reads the round report of a run and decides pass (0), fail (1) or undecided (2)."""
import time
import urllib.parse
import uuid

from . import find_run
from ._http import LookoutError

PASS, FAIL, UNDECIDED = 0, 1, 2
OUTCOME = {PASS: "PASS", FAIL: "FAIL", UNDECIDED: "UNDECIDED"}


def resolve_run_id(api, run, project=None):
    try:
        return str(uuid.UUID(run))
    except ValueError:
        pass
    if not project:
        raise LookoutError("--run %r is a name: pass --project (or LOOKOUT_PROJECT) too" % run)
    found = find_run(api, project, run)
    if found is None:
        raise LookoutError("no run named %r in project %r" % (run, project))
    return found["id"]


def fetch_report(api, run_id):
    return api.request("GET", "/api/rounds/" + urllib.parse.quote(run_id, safe=""))[2] or {}


def pick_checkpoint(report, step=None):
    rows = [c for c in report.get("checkpoints") or [] if c.get("step") is not None]
    if step is not None:
        rows = [c for c in rows if int(c["step"]) == int(step)]
    return max(rows, key=lambda c: c["step"]) if rows else None


def evaluate(report, step=None, min_win_rate=0.5, require_decided=False, no_alarm=False, no_new_stock_phrases=False,
             decided_better=False):
    """(exit code, lines of evidence). decided_better: the verdict must be decided and the win rate above 0.5."""
    lines = []
    run = report.get("run") or {}
    lines.append("run %s (%s) in %s" % (run.get("name"), run.get("id"), run.get("project")))
    row = pick_checkpoint(report, step)
    if row is None:
        lines.append("no checkpoint%s in the round report yet" % ("" if step is None else " at step %s" % step))
        return UNDECIDED, lines
    target = row.get("target") or {}
    lines.append("checkpoint step %s: %s/%s" % (row.get("step"), target.get("endpoint"), target.get("model")))
    loss = row.get("loss") or {}
    if loss:
        lines.append("loss: train %s (delta %s), eval %s (delta %s)" % (loss.get("train"), loss.get("trainDelta"),
                                                                       loss.get("eval"), loss.get("evalDelta")))
    for rec in (report.get("recommendation"), row.get("recommendation")):
        if rec:
            lines.append("recommendation: %s" % (rec if isinstance(rec, str) else rec.get("summary", rec)))
    alarms = row.get("alarms") or []
    for a in alarms:
        lines.append("alarm: %s %s steps %s-%s: %s" % (a.get("severity"), a.get("kind"), a.get("fromStep"),
                                                       a.get("toStep"), a.get("message")))
    if no_alarm and alarms:
        lines.append("FAIL: %d alarm(s) on this checkpoint and --require no-alarm" % len(alarms))
        return FAIL, lines
    if no_new_stock_phrases:
        phrases = (row.get("behaviour") or {}).get("stockPhrases")
        if phrases is None:
            lines.append("UNDECIDED: the stock phrases are not known yet (--require no-new-stock-phrases)")
            return UNDECIDED, lines
        if phrases:
            for p in phrases:
                lines.append("stock phrase rose: %r (%s vs %s in the baseline)" % (
                    p.get("phrase"), p.get("candidateCount"), p.get("baselineCount")))
            lines.append("FAIL: %d stock phrase(s) rose and --require no-new-stock-phrases" % len(phrases))
            return FAIL, lines
    if decided_better:
        require_decided = True
    code, lines = _judge_verdict(row.get("verdict"), min_win_rate, require_decided, row.get("missing") or [], lines)
    rate = (row.get("verdict") or {}).get("winRate")
    if code == PASS and decided_better and not rate > 0.5:
        lines.append("FAIL: --require decided-better needs a win rate above 0.5")
        return FAIL, lines
    return code, lines


def _judge_verdict(verdict, min_win_rate, require_decided, missing, lines):
    if not verdict or not verdict.get("votes"):
        lines.append("no human verdict yet%s" % (" (missing: %s)" % ", ".join(missing) if missing else ""))
        return UNDECIDED, lines
    rate, decided = verdict.get("winRate"), bool(verdict.get("decided"))
    lines.append("verdict: %s votes (%s wins, %s ties, %s losses), win rate %s [%s, %s], %s" % (
        verdict.get("votes"), verdict.get("wins"), verdict.get("ties"), verdict.get("losses"), _fmt(rate),
        _fmt(verdict.get("low")), _fmt(verdict.get("high")), "decided" if decided else "not decided"))
    if rate is None or (require_decided and not decided):
        lines.append("UNDECIDED: the verdict is not decided yet" if rate is not None else "UNDECIDED: no win rate")
        return UNDECIDED, lines
    if rate >= min_win_rate:
        lines.append("PASS: win rate %s >= %s" % (_fmt(rate), min_win_rate))
        return PASS, lines
    lines.append("FAIL: win rate %s < %s" % (_fmt(rate), min_win_rate))
    return FAIL, lines


def _fmt(x):
    return "?" if x is None else ("%.3f" % x if isinstance(x, float) else str(x))


def gate(api, run, project=None, step=None, min_win_rate=0.5, require_decided=False, no_alarm=False, wait=0.0,
         poll=30.0, out=print, sleep=time.sleep, clock=time.monotonic, **checks):
    """Evaluates until the outcome is not UNDECIDED or wait seconds have passed; prints the evidence."""
    run_id = resolve_run_id(api, run, project)
    deadline = clock() + wait
    while True:
        code, lines = evaluate(fetch_report(api, run_id), step, min_win_rate, require_decided, no_alarm, **checks)
        if code != UNDECIDED or clock() + poll > deadline:
            break
        sleep(poll)
    for line in lines:
        out(line)
    out("gate: %s" % OUTCOME[code])
    return code
