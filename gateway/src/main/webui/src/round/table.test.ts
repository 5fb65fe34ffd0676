// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { BehaviourChange, RoundReport, RoundRow } from '../api';
import { setLang } from '../i18n';
import { behaviourCell, checkpointRow, flagList, roundTable, verdictLine } from './table';

const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

function row(overrides: Partial<RoundRow> = {}): RoundRow {
  return {
    checkpointId: 'c1', step: 200, label: 'ckpt-200', target: { endpoint: 'vllm', model: 'lora-200' },
    loss: { train: 1.2, trainDelta: -0.1, eval: 1.4, evalDelta: 0.05 },
    behaviour: null, behaviourVsPrevious: null, verdict: null, verdicts: [], flags: [], behaviours: [],
    failureReason: null, warnings: [], reused: null, missing: [],
    ...overrides,
  };
}

function behaviour(overrides: Partial<BehaviourChange> = {}): BehaviourChange {
  return {
    against: 'base', baseline: { endpoint: 'vllm', model: 'base' }, baselineStep: null, probeRunId: 'p1',
    status: 'completed', total: 10, changed: 4, shareChanged: 0.4, identicalToBaseline: false, checks: null,
    stockPhrases: [], ...overrides,
  };
}

function report(rows: RoundRow[]): RoundReport {
  return { run: { id: 'r1', name: 'run', project: 'demo', baseline: null }, checkpoints: rows, missing: [] };
}

/** No element a browser would run or load: model and server text stays text. */
function expectInert(el: Element): void {
  expect(el.querySelectorAll('img, script, iframe, [onerror]')).toHaveLength(0);
}

beforeEach(() => setLang('en'));

describe('round table', () => {
  it('shows hostile server and model text as text', () => {
    const tr = checkpointRow(row({
      label: HOSTILE, failureReason: HOSTILE, warnings: [HOSTILE], missing: [HOSTILE],
      flags: [{ kind: 'memorising', message: HOSTILE, evidence: {} }],
      behaviour: behaviour({ stockPhrases: [{ phrase: HOSTILE, candidateCount: 3, baselineCount: 0 }] }),
    }), true);
    expectInert(tr);
    expect(tr.querySelector('[data-testid="round-failure"]')?.textContent).toBe(`Probe run failed: ${HOSTILE}`);
    expect(tr.querySelector('[data-testid="round-warning"]')?.textContent).toContain(HOSTILE);
    expect(tr.querySelector('.flag-message')?.textContent).toBe(HOSTILE);
    expect(tr.querySelector('[data-testid="round-behaviour-base-phrases"] mark')?.textContent).toBe(HOSTILE);
    expect(tr.querySelector('strong')?.textContent).toBe(HOSTILE);
  });

  it('labels each flag by its kind, and leaves the list out without flags', () => {
    const list = flagList([
      { kind: 'loss-fell-behaviour-flat', message: 'Loss fell by 12%', evidence: {} },
      { kind: 'something-new', message: 'A new flag', evidence: {} },
    ]);
    const items = list?.querySelectorAll('[data-testid="round-flag"]') ?? [];
    expect(items).toHaveLength(2);
    expect(items[0].getAttribute('data-kind')).toBe('loss-fell-behaviour-flat');
    expect(items[0].querySelector('.flag-badge')?.textContent).toBe('Loss fell, behaviour flat');
    expect(items[1].querySelector('.flag-badge')?.textContent).toBe('something-new');
    expect(items[1].querySelector('.flag-message')?.textContent).toBe('A new flag');
    expect(flagList([])).toBeNull();
    expect(flagList(undefined)).toBeNull();
  });

  it('says there are no checkpoints instead of an empty table', () => {
    const empty = roundTable(report([]));
    expect(empty.tagName).toBe('P');
    expect(empty.textContent).toBe('No checkpoints yet.');
  });

  it('notes the first checkpoint has no previous one, and gives each row its behaviours row', () => {
    const table = roundTable(report([
      row({ behaviours: [{ tag: 'caution', source: 'suite', direction: 'toward', evidence: {
        probes: 3, changed: 2, shareChanged: null, passRateChange: null, votes: null, winRate: null, low: null,
        high: null, taggedWins: null, taggedVotes: null } }] }),
      row({ checkpointId: 'c2', step: 400 }),
    ]));
    const rows = table.querySelectorAll('[data-testid="round-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].querySelector('[data-testid="round-behaviour-previous"]')?.textContent)
      .toBe('first checkpoint: its previous is the base');
    expect(rows[1].querySelector('[data-testid="round-behaviour-previous"]')?.textContent).toBe('—');
    expect(table.querySelectorAll('[data-testid="round-behaviours-row"]')).toHaveLength(1);
    expect(table.querySelector('[data-testid="round-behaviour-tag"]')?.getAttribute('data-direction')).toBe('toward');
  });

  it('shows a failed probe run by its status and reason', () => {
    const tr = checkpointRow(row({
      behaviour: behaviour({ status: 'failed', shareChanged: null, total: null, changed: null }),
      failureReason: 'model server refused',
    }), false);
    const base = tr.querySelector('[data-testid="round-behaviour-base"]');
    expect(base?.querySelector('.status-failed')?.textContent).toBe('failed');
    expect(base?.querySelector('[data-testid="round-compare-link"]')?.getAttribute('href')).toBe('#/compare/p1');
    expect(tr.querySelector('[data-testid="round-failure"]')?.textContent).toContain('model server refused');
  });

  it('shows share changed, pass-rate points and broken checks against the base', () => {
    const cell = behaviourCell(behaviour({ checks: { evaluated: 10, passRateChange: -0.2, fixed: 0, broken: 2,
      brokenChecks: [{ probeId: 'q1', index: 0, type: 'regex', name: 'cites a source', count: 2 }] } }),
    'round-behaviour-base', null);
    expect(cell.querySelector('strong')?.textContent).toBe('40%');
    expect(cell.querySelector('[data-testid="round-behaviour-base-checks"]')?.className).toContain('worse');
    expect(cell.querySelector('[data-testid="round-behaviour-base-broken"]')?.textContent).toContain('cites a source');
    expect(cell.querySelector('a')).toBeNull();
  });

  it('shows a verdict with the votes that would decide it, and says when there are none', () => {
    const undecided = verdictLine({ wins: 5, ties: 1, losses: 3, bothBad: 0, votes: 9, winRate: 0.6, low: 0.3,
      high: 0.83, decided: false, against: 'base', votesNeeded: 12 }, null);
    expect(undecided.getAttribute('data-testid')).toBe('round-verdict-base');
    expect(undecided.querySelector('strong')?.textContent).toBe('60% wins (95% CI 30%–83%)');
    expect(undecided.querySelector('[data-testid="round-verdict-base-needed"]')?.textContent).toContain('12');
    const none = verdictLine({ wins: 0, ties: 0, losses: 0, bothBad: 0, votes: 0, winRate: null, low: null,
      high: null, decided: false, against: 'previous' }, 'vs step 200');
    expect(none.getAttribute('data-testid')).toBe('round-verdict-previous');
    expect(none.textContent).toBe('vs step 200no votes yet');
  });
});
