// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Strength, Verdict } from '../api';
import { setLang } from '../i18n';
import { btSection, verdictsHead, verdictTable } from './view';

const HOSTILE = '<img src=x onerror="alert(1)">';

function verdict(overrides: Partial<Verdict> = {}): Verdict {
  return {
    checkpointId: 'c1', probeRunId: 'p1', runId: 'r1', batchId: 'b1', step: 200,
    candidate: { endpoint: 'vllm', model: 'lora-200' }, baseline: { endpoint: 'vllm', model: 'base' },
    wins: 12, ties: 2, losses: 3, bothBad: 1, votes: 18, winRate: 0.75, low: 0.55, high: 0.9, decided: true,
    tags: { 'more-cautious': { wins: 5, ties: 0, losses: 1, bothBad: 0 } },
    tagLabels: { 'more-cautious': { en: HOSTILE, zh: '更谨慎' } },
    agreement: { items: 4, kappa: 0.62, reviewers: [] }, ...overrides,
  };
}

function strength(model: string, s: number | null): Strength {
  return { target: { endpoint: 'vllm', model }, strength: s, low: s === null ? null : s - 0.5, high: s === null ? null : s + 0.5, votes: 10 };
}

beforeEach(() => setLang('en'));

describe('verdict page', () => {
  it('shows each checkpoint decided or not, its outcome counts and tags as text', () => {
    const table = verdictTable([verdict(), verdict({ checkpointId: 'c2', step: 400, decided: false, low: 0.3, high: 0.7,
      winRate: 0.5, tags: null, agreement: null })]);
    const rows = table.querySelectorAll('[data-testid="verdict-row"]');
    expect(rows).toHaveLength(2);
    expect([...rows].map((r) => r.getAttribute('data-state'))).toEqual(['better', 'undecided']);
    expect(rows[0].querySelector('[data-testid="verdict-wins"]')?.getAttribute('data-count')).toBe('12');
    expect(rows[0].querySelector('[data-testid="verdict-bothBad"]')?.textContent).toBe('1 both bad');
    expect(rows[0].querySelector('[data-testid="verdict-tag"]')?.textContent).toBe(`${HOSTILE} +5 / −1`);
    expect(table.querySelector('img')).toBeNull();
    expect(rows[0].querySelector('[data-testid="verdict-kappa"] strong')?.textContent).toBe('κ = 0.62 (substantial)');
    expect(rows[1].querySelector('[data-testid="verdict-kappa"]')?.textContent).toBe('needs items with two or more reviewers');
    expect(rows[1].querySelectorAll('[data-testid="verdict-tag"]')).toHaveLength(0);
  });

  it('draws the interval on the whisker track', () => {
    const whisker = verdictTable([verdict()]).querySelector<HTMLElement>('[data-testid="verdict-whisker"]');
    const bar = whisker?.querySelector<HTMLElement>('.whisker-bar');
    expect(parseFloat(bar?.style.left ?? '')).toBeCloseTo(55, 6);
    expect(parseFloat(bar?.style.width ?? '')).toBeCloseTo(35, 6);
    expect(whisker?.className).toContain('whisker-better');
  });

  it('says there are no verdicts yet, and offers exports only to those who may export', () => {
    const empty = verdictsHead('run-1', [], null);
    expect(empty.map((e) => e.dataset.testid)).toEqual(['verdicts-title', undefined, 'verdicts-empty']);
    expect(empty[0].textContent).toBe('Human verdicts · run-1');
    const withExports = verdictsHead(null, [verdict()], 'r1');
    const buttons = withExports.find((e) => e.dataset.testid === 'export-card')?.querySelectorAll('[data-testid="export-button"]') ?? [];
    expect(buttons).toHaveLength(5);
    expect(buttons[0].getAttribute('href')).toBe('/api/exports/preferences?run=r1&format=llamafactory-sharegpt');
    expect(withExports.some((e) => e.querySelector('[data-testid="verdict-table"]') !== null)).toBe(true);
  });

  it('shows the Bradley–Terry strengths, or says they are unavailable or empty', () => {
    const unavailable = btSection(null, []);
    expect([unavailable.canvas, unavailable.section.querySelector('[data-testid="bt-unavailable"]') !== null]).toEqual([null, true]);
    const empty = btSection([], []);
    expect([empty.canvas, empty.section.querySelector('[data-testid="bt-empty"]') !== null]).toEqual([null, true]);
    const shown = btSection([strength('base', 0), strength('lora-200', 0.8), strength('loose', null)], ['base', 'ckpt-200', 'loose']);
    expect(shown.canvas?.dataset.testid).toBe('bt-chart');
    const rows = shown.section.querySelectorAll('[data-testid="bt-row"]');
    expect(rows).toHaveLength(3);
    expect(rows[1].textContent).toBe('ckpt-2000.800.30 – 1.3069%10');
    expect(rows[2].querySelectorAll('td')[1].textContent).toBe('not linked to the base');
  });
});
