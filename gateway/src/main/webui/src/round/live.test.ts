// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setLang } from '../i18n';
import { liveAction, liveBadge, parseLiveEvent, quietRefresher, setLive } from './live';

beforeEach(() => setLang('en'));
afterEach(() => vi.useRealTimers());

describe('live feed of the run page', () => {
  const ids = new Set(['p1']);

  it('acts only on events of this run or its probe runs', () => {
    expect(liveAction({ type: 'checkpoint.registered', runId: 'r1' }, 'r1', ids)).toBe('refresh');
    expect(liveAction({ type: 'verdict.updated', runId: 'r2' }, 'r1', ids)).toBe('ignore');
    expect(liveAction({ type: 'probe-run.completed', probeRunId: 'p1' }, 'r1', ids)).toBe('refresh');
    expect(liveAction({ type: 'probe-run.progressed', probeRunId: 'p1', done: 3 }, 'r1', ids)).toBe('progress');
    expect(liveAction({ type: 'probe-run.progressed', probeRunId: 'p9' }, 'r1', ids)).toBe('ignore');
    expect(liveAction({ type: 'probe-run.progressed', runId: 'r1' }, 'r1', ids)).toBe('refresh');
    expect(liveAction({ type: 'heartbeat', runId: 'r1' }, 'r1', ids)).toBe('ignore');
  });

  it('reads only JSON objects with a type', () => {
    expect(parseLiveEvent('{"type":"alarm.raised","runId":"r1"}')).toEqual({ type: 'alarm.raised', runId: 'r1' });
    expect(parseLiveEvent('not json')).toBeNull();
    expect(parseLiveEvent('[1,2]')).toBeNull();
    expect(parseLiveEvent('{"type":3}')).toBeNull();
  });

  it('switches the badge on and off', () => {
    const badge = liveBadge();
    expect(badge.dataset.state).toBe('off');
    setLive(badge, true);
    expect([badge.dataset.state, badge.textContent, badge.className]).toEqual(['on', 'Live', 'live-badge on']);
    setLive(badge, false);
    expect(badge.dataset.state).toBe('off');
  });

  it('reloads at most once per 400 ms, quietly, and once more after a load asked for during one', async () => {
    vi.useFakeTimers();
    const calls: boolean[] = [];
    let finish: (() => void) | null = null;
    const refresher = quietRefresher((quiet) => {
      calls.push(quiet);
      return new Promise<void>((resolve) => { finish = resolve; });
    }, () => true);
    refresher.schedule();
    refresher.schedule();
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual([true]);
    await refresher.load(false); // while one runs: remembered, not started
    expect(calls).toEqual([true]);
    finish!();
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual([true, true]);
    refresher.cancel();
  });
});
